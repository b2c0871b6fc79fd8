"""psd.govuk renders every form field in GOV.UK Frontend markup (issue 22): a group of radios
or checkboxes is a fieldset with a legend, never a <label>; hints and errors are tied to the
field; everything is escaped."""

from django import forms
from django.template.loader import render_to_string

from psd.govuk import field_html, form_html, tag_colour


class Sample(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="As on the warrant card")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "Alpha & co"), ("b", "Beta")], widget=forms.RadioSelect
    )
    tags = forms.MultipleChoiceField(
        label="Tags",
        required=False,
        choices=[("x", "X"), ("y", "Y")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree", required=False)
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red")])
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def test_radios_are_a_fieldset_with_a_legend_and_keep_the_choice():
    form = Sample({"kind": "b"})
    html = str(field_html(form["kind"]))
    assert '<fieldset class="govuk-fieldset">' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Kind</legend>' in html
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert "<label" in html and 'for="id_kind_0"' in html and "Alpha &amp; co" in html
    assert 'value="b" checked' in html and 'value="a" checked' not in html
    assert html.count(" checked") == 1


def test_checkboxes_are_a_fieldset_too():
    html = str(field_html(Sample({"tags": ["y"]})["tags"]))
    assert "govuk-fieldset__legend" in html and "Tags (optional)" in html
    assert 'class="govuk-checkboxes govuk-checkboxes--small"' in html
    assert 'value="y" checked' in html


def test_a_text_field_has_its_label_hint_and_error_tied_to_it():
    form = Sample({})
    form.is_valid()
    html = str(field_html(form["name"]))
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert '<label class="govuk-label govuk-label--s" for="id_name">Name &lt;b&gt;</label>' in html
    assert '<div class="govuk-hint" id="id_name_helptext">As on the warrant card</div>' in html
    assert '<p class="govuk-error-message" id="id_name_error">' in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html


def test_widgets_get_the_design_system_classes():
    form = Sample()
    assert 'class="govuk-input govuk-input--width-10"' in str(field_html(form["day"]))
    assert 'class="govuk-textarea"' in str(field_html(form["notes"]))
    assert 'class="govuk-select"' in str(field_html(form["colour"]))
    agree = str(field_html(form["agree"]))
    assert 'class="govuk-checkboxes__input"' in agree and "govuk-checkboxes__label" in agree


def test_the_shared_includes_render_the_same_markup():
    form = Sample({"kind": "a"})
    assert render_to_string("includes/form_fields.html", {"form": form}).strip() == str(
        form_html(form)
    )
    assert form_html(form).startswith('<input type="hidden" name="secret"')


def test_statuses_map_to_tag_colours():
    assert tag_colour("overdue") == "govuk-tag--red"
    assert tag_colour("finalised") == "govuk-tag--green"
    assert tag_colour("withdrawn") == "govuk-tag--grey"
    assert tag_colour("investigation") == ""
