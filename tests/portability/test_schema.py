"""The schema accounts for every model and field; its documentation is generated and current."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

from portability.docs import COMMAND, schema_markdown
from portability.schema import (
    COLUMN_NOTES,
    EXCLUDED_FIELDS,
    EXCLUDED_MODELS,
    EXPORTED,
    NATURAL_KEYS,
    exported_files,
)

DOC = Path(settings.BASE_DIR) / "docs" / "export-schema.md"


def concrete_models() -> set[str]:
    return {
        model._meta.label_lower
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def test_every_model_is_exported_or_excluded_with_a_reason():
    exported = {spec.label for spec in EXPORTED}
    assert not exported & set(EXCLUDED_MODELS), "a model is both exported and excluded"
    unaccounted = concrete_models() - exported - set(EXCLUDED_MODELS)
    assert not unaccounted, (
        f"decide whether these models are exported (portability.schema.EXPORTED) or why not "
        f"(EXCLUDED_MODELS): {sorted(unaccounted)}"
    )
    stale = (exported | set(EXCLUDED_MODELS)) - concrete_models()
    assert not stale, f"these models no longer exist: {sorted(stale)}"
    assert all(reason.strip() for reason in EXCLUDED_MODELS.values())


def test_every_field_has_a_codec_and_every_relation_a_target_in_the_export():
    exported = {spec.label for spec in EXPORTED}
    for spec, columns in exported_files():  # raises SchemaError on an unknown field type
        for column in columns:
            if column.kind in ("fk", "m2m"):
                assert column.target in exported, f"{spec.label}.{column.name} → {column.target}"
            if column.kind in ("natural", "m2m_natural"):
                assert column.target in NATURAL_KEYS


def test_a_field_left_out_can_be_restored_without_it():
    for label, fields in EXCLUDED_FIELDS.items():
        model = apps.get_model(label)
        for name, exclusion in fields.items():
            field = model._meta.get_field(name)
            assert exclusion.reason.strip()
            assert exclusion.fill or field.null or field.has_default(), f"{label}.{name}"


def test_secrets_never_become_columns():
    user_columns = {c.name for c in dict(exported_files_by_label())["accounts.user"]}
    assert "password" not in user_columns and "groups" in user_columns
    note_columns = {c.name for c in dict(exported_files_by_label())["cases.casenote"]}
    assert "text" not in note_columns and {"author_id", "created_at"} <= note_columns


def exported_files_by_label():
    return [(spec.label, columns) for spec, columns in exported_files()]


def test_the_committed_schema_document_is_current():
    assert DOC.read_text(encoding="utf-8") == schema_markdown(), (
        f"docs/export-schema.md is out of date: run `{COMMAND}` and review what changed "
        "(a new field is exported as soon as it exists: make sure it may leave the system)"
    )


def test_the_document_describes_every_file_and_column():
    text = DOC.read_text(encoding="utf-8")
    for spec, columns in exported_files():
        assert f"`{spec.label}`" in text
        for column in columns:
            assert f"| `{column.name}` |" in text


def test_every_column_note_is_about_an_exported_column():
    columns = {
        f"{spec.label}.{column.field.name}"
        for spec, cols in exported_files()
        for column in cols
        if column.field is not None
    }
    assert set(COLUMN_NOTES) <= columns, sorted(set(COLUMN_NOTES) - columns)
