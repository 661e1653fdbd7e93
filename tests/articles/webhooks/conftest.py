"""Fixtures shared by the webhook tests: a running receiver, an endpoint registered for
it, publishing with the on-commit callbacks (and so the webhooks) run, and the DNS and
network as a webhook sees them."""

import socket

import pytest
from rest_framework.test import APIClient

from articles.models import Article, PartnerKey
from articles.publishing import workflow
from tests.articles.webhooks.helpers import Receiver, endpoint_at

# A public address (example.com's, once). Nothing is ever sent there for real: the
# ``network`` fixture routes it to a receiver on 127.0.0.1.
PUBLIC = "93.184.216.34"


@pytest.fixture
def endpoint(receiver):
    return endpoint_at(receiver.url)


@pytest.fixture
def publish(editor, django_capture_on_commit_callbacks):
    def publish(article: Article, by=None) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            return workflow.publish(article, by=by or editor)

    return publish


@pytest.fixture
def partner_api():
    _, raw = PartnerKey.objects.create_key(name="Kestrel app", partner="Kestrel News")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def production(settings):
    """Webhook settings as in production: https only, public addresses only."""
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    return settings


class DNS:
    """Answers for names under kestrel.example, one list of addresses per lookup (the
    last repeats), recording every lookup; an unknown such name does not exist. Other
    hosts, numeric ones included, resolve as usual."""

    def __init__(self, real):
        self.real = real
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def __setitem__(self, name: str, answers: list[str] | list[list[str]]) -> None:
        self.answers[name] = answers if isinstance(answers[0], list) else [answers]

    def getaddrinfo(self, host, port, *args, **kwargs):
        if not isinstance(host, str) or not host.endswith("kestrel.example"):
            return self.real(host, port, *args, **kwargs)
        self.lookups.append(host)
        answers = self.answers.get(host)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (address, port),
            )
            for address in addresses
        ]


@pytest.fixture
def dns(monkeypatch):
    """The name service, scripted (there is no DNS where the tests run)."""
    dns = DNS(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", dns.getaddrinfo)
    return dns


@pytest.fixture
def public_receiver():
    """A second receiver: the partner's real one, “at” the public address ``PUBLIC``."""
    with Receiver() as receiver:
        yield receiver


class Network:
    """Every TCP connection opened, by address; those to ``PUBLIC`` reach the public
    receiver on 127.0.0.1, the rest go where they say."""

    def __init__(self, real, public_port: int):
        self.real = real
        self.public_port = public_port
        self.connections: list[tuple[str, int]] = []

    def create_connection(self, address, *args, **kwargs):
        self.connections.append(address)
        if address[0] == PUBLIC:
            return self.real(("127.0.0.1", self.public_port), *args, **kwargs)
        return self.real(address, *args, **kwargs)


@pytest.fixture
def network(monkeypatch, public_receiver):
    network = Network(socket.create_connection, public_receiver.server.server_port)
    monkeypatch.setattr(socket, "create_connection", network.create_connection)
    return network
