import pytest

from actions.text import clean_line, clean_paragraphs, email_key


@pytest.mark.parametrize(
    "typed, key",
    [
        ("Jane.Doe@Example.org", "jane.doe@example.org"),
        ("jane.doe+petition@example.org", "jane.doe@example.org"),
        ("J.a.n.e.Doe@gmail.com", "janedoe@gmail.com"),
        ("janedoe+kang@googlemail.com", "janedoe@gmail.com"),
        ("  JANEDOE@GMAIL.COM ", "janedoe@gmail.com"),
    ],
)
def test_email_key_folds_case_tags_and_gmail_dots(typed, key):
    assert email_key(typed) == key


def test_email_key_keeps_dots_outside_gmail():
    assert email_key("jane.doe@example.org") != email_key("janedoe@example.org")


@pytest.mark.parametrize("name", ["Kang Hen", "ហេង កាង", "Nguyễn Thị Hương", "Zoë O'Brien-Łukasz", "José"])
def test_clean_line_keeps_names_in_any_script(name):
    assert clean_line(name) == name


def test_clean_line_strips_crlf_and_invisible_characters():
    assert clean_line("Jane\r\nBcc: x@example.org") == "Jane Bcc: x@example.org"
    assert clean_line("Ja\u200bne\u202e") == "Jane"
    assert clean_line("  many   spaces\t") == "many spaces"


def test_clean_line_normalises_to_nfc():
    assert clean_line("Jose\u0301") == "José"


def test_clean_paragraphs_keeps_line_breaks_only():
    assert clean_paragraphs("one\r\ntwo\r\n\r\n\r\n\r\nthree\x00") == "one\ntwo\n\nthree"
