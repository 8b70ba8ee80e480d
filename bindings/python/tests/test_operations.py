"""The operations no shared scenario plays, each called through its generated method, and a
check that scenarios and this file together call every operation of the description."""

from __future__ import annotations

import json
from pathlib import Path

import highlevel
from highlevel import _native

LOC = highlevel.LOCATION_IDS[0]

#: The operations the tests below call.
CALLED = {
    "createCalendar",
    "deleteCalendar",
    "deleteContactNote",
    "deleteContactTask",
    "getCalendar",
    "getCustomValue",
    "getLocation",
    "getOpportunity",
    "listBusinesses",
    "listContactTasks",
    "listCustomFields",
    "listCustomValues",
    "listLinks",
    "listLocationTags",
    "listProducts",
    "removeContactTags",
    "searchOpportunities",
    "updateBusiness",
    "updateContact",
    "updateContactNote",
    "updateContactTask",
}


def test_every_operation_is_called_by_a_scenario_or_here() -> None:
    folder = Path(__file__).parents[3] / "tests" / "scenarios"
    played = {
        step["call"]
        for path in folder.glob("*.json")
        for step in json.loads(path.read_text())["steps"]
    }
    every = {operation_id for operation_id, _ in _native.operations()}
    assert len(every) == 85
    assert every - played - CALLED == set()


def test_contact_updates_notes_tasks_and_tags(client: highlevel.Client) -> None:
    created = client.contacts.create(location_id=LOC, first_name="Grace", tags=["a", "b"])
    contact = created["contact"]["id"]
    assert created["contact"]["firstName"] == "Grace"

    updated = client.contacts.update(contact_id=contact, last_name="Hopper")
    assert updated["contact"]["lastName"] == "Hopper"
    removed = client.contacts.remove_tags({"tags": ["a"]}, contact_id=contact)
    assert "a" not in removed.get("tags", [])

    note = client.contacts.create_note({"body": "first"}, contact_id=contact)["note"]["id"]
    edited = client.contacts.update_note(contact_id=contact, note_id=note, body="second")
    assert edited["note"]["body"] == "second"
    assert client.contacts.delete_note(contact_id=contact, note_id=note)["succeded"] is True

    task = client.contacts.create_task(
        contact_id=contact, title="Call", due_date="2030-01-01T00:00:00Z", completed=False
    )["task"]["id"]
    tasks = client.contacts.list_tasks(contact_id=contact)["tasks"]
    assert [t["id"] for t in tasks] == [task]
    done = client.contacts.update_task(contact_id=contact, task_id=task, completed=True)
    assert done["task"]["completed"] is True
    assert client.contacts.delete_task(contact_id=contact, task_id=task)["succeded"] is True


def test_opportunity_reads(client: highlevel.Client) -> None:
    found = client.opportunities.search(location_id=LOC, limit=3)["opportunities"]
    assert len(found) == 3
    one = client.opportunities.get(opportunity_id=found[0]["id"])["opportunity"]
    assert one["id"] == found[0]["id"]


def test_calendar_create_get_delete(client: highlevel.Client) -> None:
    made = client.calendars.create(location_id=LOC, name="Python calendar")["calendar"]
    assert client.calendars.get(calendar_id=made["id"])["calendar"]["name"] == "Python calendar"
    assert client.calendars.delete(calendar_id=made["id"])["success"] is True


def test_location_settings(client: highlevel.Client) -> None:
    assert client.tags.list(location_id=LOC)["tags"]
    assert "customFields" in client.custom_fields.list(location_id=LOC)
    values = client.custom_values.list(location_id=LOC)["customValues"]
    assert values
    one = client.custom_values.get(location_id=LOC, custom_value_id=values[0]["id"])
    assert one["customValue"]["id"] == values[0]["id"]
    assert client.locations.get(location_id=LOC)["location"]["id"] == LOC


def test_business_list_and_update(client: highlevel.Client) -> None:
    business = client.businesses.list(location_id=LOC)["businesses"][0]
    updated = client.businesses.update(business_id=business["id"], city="Reno")
    # HighLevel spells the key this way.
    assert updated["buiseness"]["city"] == "Reno"


def test_links_and_products(client: highlevel.Client) -> None:
    assert isinstance(client.links.list(location_id=LOC)["links"], list)
    products = client.products.list(location_id=LOC, limit=2)
    assert len(products["products"]) == 2


def test_keyword_fields_and_body_dict_merge(client: highlevel.Client) -> None:
    answer = client.contacts.create({"locationId": LOC, "lastName": "Lovelace"}, first_name="Ada")
    assert answer["contact"]["firstName"] == "Ada"
    assert answer["contact"]["lastName"] == "Lovelace"


def test_a_field_given_twice_is_refused_before_sending(client: highlevel.Client) -> None:
    try:
        client.contacts.create({"locationId": LOC, "firstName": "A"}, first_name="B")
    except TypeError as error:
        assert "firstName" in str(error)
    else:
        raise AssertionError("a field given twice was sent")
