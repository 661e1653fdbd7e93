from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("preview/<str:token>/", views.preview, name="preview"),
    path("staff-preview/<int:pk>/", views.staff_preview, name="staff_preview"),
]
