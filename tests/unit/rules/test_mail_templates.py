"""The message templates: every one renders from exactly its placeholders, a message that asks the
user to act carries `token=` in its text part's link, values are escaped in HTML, and the MIME
message has a text and an HTML part."""

import email
import email.policy
import string
from urllib.parse import parse_qs, urlsplit

import pytest

from latchkey.rules import mail_templates as mt

IDS = sorted(mt.ENGLISH)


def _values(found: mt.MailTemplate) -> dict[str, str]:
    return {name: f"<{name}&>" for name in mt.placeholders(found)}


@pytest.mark.parametrize("template_id", IDS)
def test_every_template_renders_from_exactly_its_placeholders(template_id):
    found = mt.template(template_id)
    rendered = mt.render(template_id, _values(found), "https://app.example.com")
    assert "$" not in rendered.subject + rendered.text + rendered.html
    assert "<name&>" in rendered.text and "&lt;name&amp;&gt;" in rendered.html and "<name&>" not in rendered.html
    with pytest.raises(KeyError):  # a missing value is refused, never rendered blank
        mt.render(template_id, {}, "https://app.example.com")


@pytest.mark.parametrize("template_id", [i for i in IDS if mt.ENGLISH[i].action_path and mt.ENGLISH[i].token_in_link])
def test_a_message_that_asks_the_user_to_act_links_with_its_token_in_the_query(template_id):
    found = mt.template(template_id)
    rendered = mt.render(template_id, {**_values(found), "token": "tok+en/1"}, "https://app.example.com")
    (link,) = [word for word in rendered.text.split() if word.startswith("https://")]
    assert link.startswith(f"https://app.example.com{found.action_path}?")
    assert parse_qs(urlsplit(link).query)["token"] == ["tok+en/1"]
    assert "tok+en" not in rendered.subject


def test_the_note_to_an_address_with_no_account_links_to_sign_up_without_a_token():
    found = mt.template("account.no-account")
    assert "token" not in mt.placeholders(found)
    rendered = mt.render("account.no-account", {"name": "ada@example.com"}, "https://app.example.com")
    assert "https://app.example.com/sign-up\n" in rendered.text and "token" not in rendered.text + rendered.html


@pytest.mark.parametrize("template_id", [i for i in IDS if not mt.ENGLISH[i].action_path])
def test_notices_carry_no_link_and_no_token(template_id):
    found = mt.template(template_id)
    assert "token" not in mt.placeholders(found)
    rendered = mt.render(template_id, _values(found), "https://app.example.com")
    assert "https://" not in rendered.text and "href" not in rendered.html


def test_every_translation_has_the_same_ids_and_placeholders():
    for locale, templates in mt.TRANSLATIONS.items():
        assert set(templates) == set(mt.ENGLISH), locale
        for template_id, found in templates.items():
            assert mt.placeholders(found) == mt.placeholders(mt.ENGLISH[template_id]), (locale, template_id)


def test_ids_are_stable_dotted_names_and_an_unknown_one_is_refused():
    assert all(i.count(".") == 1 and i == i.lower() and " " not in i for i in IDS)
    with pytest.raises(mt.UnknownTemplate):
        mt.template("account.nope")
    assert string.Template.pattern  # the placeholders are string.Template's `$name`


def test_the_mime_message_has_a_text_and_an_html_part():
    found = mt.template("account.verify-email")
    rendered = mt.render("account.verify-email", {"name": "Ada", "token": "abc"}, "http://localhost:5173")
    raw = mt.mime(rendered, "no-reply@latchkey.dev", "ada@example.com")
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["From"] == "no-reply@latchkey.dev" and parsed["To"] == "ada@example.com"
    assert parsed["Subject"] == found.subject and parsed["Message-ID"].endswith("@latchkey.dev>")
    assert "token=abc" in parsed.get_body(("plain",)).get_content()
    assert "<a href=" in parsed.get_body(("html",)).get_content()


# --- someone else's text never becomes a link, a line or a header ---------------------------------

SMUGGLED = {
    "url": "Claim your prize at https://evil.example/win?x=1",
    "host": "Visit www.evil.example today",
    "bare host": "evil.example",
    "full-width": "\uff45\uff56\uff49\uff4c\uff0e\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45",  # evil.example
    "ideographic stop": "evil\u3002example",
    "scheme": "mailto:help@evil.example",
    "lines": "Acme\r\nBcc: victim@evil.example\n\nPlease pay https://evil.example",
    "bidi": "Acme \u202eelpmaxe.live\u202c",
    "zero width": "evil\u200b.\u200bexample",
}


def _invitation(organization: str, name: str = "Ada") -> mt.RenderedMail:
    return mt.render("team.invitation", {"organization": organization, "name": name, "role": "member",
                                         "token": "tok"}, "https://app.example.com")


@pytest.mark.parametrize("kind", sorted(SMUGGLED))
def test_an_organization_or_inviter_name_cannot_smuggle_a_link_into_an_invitation(kind):
    for rendered in (_invitation(SMUGGLED[kind]), _invitation("Acme", name=SMUGGLED[kind])):
        (link,) = [word for word in rendered.text.split() if "://" in word]
        assert link.startswith("https://app.example.com/accept-invitation?"), "our link is the only one"
        for part in (rendered.subject, rendered.text, rendered.html):
            assert "evil.example" not in part and "://evil" not in part and "mailto:" not in part, part
            assert "\u202e" not in part and "\u200b" not in part and "\r" not in part
        assert "\n" not in rendered.subject
        parsed = email.message_from_bytes(mt.mime(rendered, "no-reply@latchkey.dev", "to@example.com"),
                                          policy=email.policy.default)
        assert parsed["Bcc"] is None and str(parsed["Subject"]).split() == rendered.subject.split()
        assert rendered.text.count("\n") == _invitation("Acme").text.count("\n"), "no line of its own"


def test_a_value_is_quoted_one_line_and_capped():
    long = 'Acme "Official" Billing ' * 20
    rendered = _invitation(long)
    shown = rendered.subject.split('"')[1]
    assert len(shown) <= mt.MAX_VALUE_CHARS and shown.endswith("\u2026") and shown.startswith("Acme 'Official'")
    assert rendered.subject.count('"') == 2, "the value cannot close its own quotes"
    assert mt.neutralize("Acme Inc. (London): the team") == "Acme Inc. (London): the team", "prose stays prose"
    assert mt.neutralize("https://evil.example/x") == "https[:]//evil[.]example/x"
