"""The tables are written from their declarations (api/tables.py): template.yaml's `tables` region and
the layer's latchkey/store/items.py are what `python -m contract` writes, and the resources are the
tables the template had before they were generated."""

from cfnlint.decode import cfn_yaml

from api import modules, tables
from contract import tables as writer
from local.template import Template


def test_the_templates_tables_region_is_what_the_declarations_give():
    text = writer.TEMPLATE.read_text()
    assert writer.render_template(text) == text, "run `python -m contract` and commit template.yaml"


def test_the_layers_items_module_is_what_the_declarations_give():
    assert writer.ITEMS.read_text() == writer.render_items(), "run `python -m contract` and commit items.py"


def test_the_region_holds_every_declared_table_and_the_template_no_other():
    region = cfn_yaml.loads("Resources:\n" + writer.render_region() + "\n", "tables")["Resources"]
    assert list(region) == [t.logical_id for t in modules.tables()]
    assert set(Template.load().tables()) == set(region)


def test_a_declared_table_renders_as_the_resource_it_declares():
    resource = cfn_yaml.loads("Resources:\n" + writer.render_table(tables.INVITATIONS_TABLE) + "\n", "t")
    props = resource["Resources"]["InvitationsTable"]["Properties"]
    assert props["KeySchema"] == [{"AttributeName": "invitationId", "KeyType": "HASH"}]
    assert [d["AttributeName"] for d in props["AttributeDefinitions"]] == ["invitationId", "organizationId"]
    (by_organization,) = props["GlobalSecondaryIndexes"]
    assert by_organization["IndexName"] == "ByOrganization"
    assert by_organization["Projection"]["NonKeyAttributes"] == list(tables.INVITATIONS_TABLE.indexes[0].projection)
    assert props["TimeToLiveSpecification"] == {"AttributeName": "purgeAt", "Enabled": True}
    assert "StreamSpecification" not in props
