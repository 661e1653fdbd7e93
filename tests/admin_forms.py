"""Build the POST data an editor's browser would send from an admin change page."""

from taggit.utils import edit_string_for_tags


def _field_values(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if name == "tags" and not isinstance(value, str):
            value = edit_string_for_tags(value)
        data[form.add_prefix(name)] = value
    return data


def change_form_data(response, **overrides) -> dict:
    """The change form as loaded (main form and every inline), with ``overrides`` applied."""
    data = _field_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= _field_values(formset.management_form)
        for form in formset.forms:
            data |= _field_values(form)
    return data | overrides
