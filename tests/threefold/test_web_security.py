import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_csrf_is_enforced_on_every_write(worker, case, draft_map):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    url = reverse("practice:entry_add", args=[case.pk, draft_map.pk])
    response = client.post(url, {"category": "harm", "text": "Forged"})
    assert response.status_code == 403
    assert not draft_map.entries.exists()
    # With the token the page gives, the same write goes through.
    page = client.get(reverse("practice:map_detail", args=[case.pk, draft_map.pk]))
    token = page.cookies["csrftoken"].value
    response = client.post(url, {"category": "harm", "text": "Real", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert draft_map.entries.get().text == "Real"


def test_security_headers_on_every_page(client, worker, case):
    client.force_login(worker)
    response = client.get(reverse("casefile:case_detail", args=[case.pk]))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_user_text_is_escaped_on_output(client, worker, case, draft_map):
    from practice import services

    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    services.map_entry_add(actor=worker, map_=draft_map, category="harm", text=payload)
    client.force_login(worker)
    html = client.get(reverse("practice:map_detail", args=[case.pk, draft_map.pk])).content.decode()
    assert payload not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
