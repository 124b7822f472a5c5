import pytest

from simpul.notifications.tests.gateway import Gateway


@pytest.fixture
def gateway():
    server = Gateway()
    yield server
    server.close()


@pytest.fixture
def gateways_on(settings, gateway):
    """WhatsApp and SMS switched on, both pointing at the test gateway (paths tell them apart)."""
    settings.SIMPUL_NOTIFY_CHANNELS = ["email", "whatsapp", "sms"]
    settings.SIMPUL_WHATSAPP_GATEWAY_URL = f"http://127.0.0.1:{gateway.port}/wa"
    settings.SIMPUL_WHATSAPP_GATEWAY_TOKEN = "wa-token-123"
    settings.SIMPUL_SMS_GATEWAY_URL = f"http://127.0.0.1:{gateway.port}/sms"
    settings.SIMPUL_SMS_GATEWAY_TOKEN = "sms-token-456"
    settings.SIMPUL_NOTIFY_TIMEOUT_SECONDS = 2
    settings.SIMPUL_BASE_URL = "https://simpul.example.go.id"
    return gateway
