import pytest

from actions.placeholders import PlaceholderError, placeholders_in, render, validate


def test_render_fills_placeholders_and_literal_braces():
    text = render(
        "{salutation},\n\nI live in {city}. {{not a placeholder}}", {"salutation": "Dear DA", "city": "San Jose"}
    )
    assert text == "Dear DA,\n\nI live in San Jose. {not a placeholder}"


def test_supporter_text_is_never_rendered_again():
    assert render("From {first_name}", {"first_name": "{city} {{x}}"}) == "From {city} {{x}}"


def test_unknown_placeholder_is_rejected_with_the_allowed_list():
    with pytest.raises(PlaceholderError) as error:
        validate("Hello {first_name} {password}")
    assert "{password}" in str(error.value) and "{first_name}" in str(error.value)


@pytest.mark.parametrize("template", ["{% load x %}", "{first_name.__class__}", "{ }", "stray } brace", "{a{b}"])
def test_template_syntax_and_lookups_are_refused(template):
    with pytest.raises(PlaceholderError):
        validate(template)


def test_placeholders_in_lists_names_in_order():
    assert placeholders_in("{ask} and { city }") == ["ask", "city"]
