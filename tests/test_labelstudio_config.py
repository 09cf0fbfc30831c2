"""The labeling config: generated from the label set, readable for Arabic, accepted by the real server."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from rasd.core.labels import LABEL_TABLE, LabelInfo
from rasd.core.paths import Repo
from rasd.labelstudio.config import label_config, write_label_config

pytest_plugins = ["ls_server"]


def parsed(xml: str | None = None) -> ET.Element:
    return ET.fromstring(xml or label_config())


def test_one_label_per_label_with_distinct_hotkeys_and_colours() -> None:
    labels = parsed().findall("./Labels/Label")
    assert [x.get("value") for x in labels] == [info.name for info in LABEL_TABLE]
    for attribute in ("hotkey", "background"):
        values = [x.get(attribute) for x in labels]
        assert None not in values
        assert len(set(values)) == len(values), attribute


def test_text_is_right_to_left_and_selectable_inside_words() -> None:
    root = parsed()
    (text,) = root.iter("Text")
    assert (text.get("name"), text.get("value"), text.get("granularity")) == ("text", "$text", "symbol")
    block = next(view for view in root.iter("View") if text in list(view))
    assert "direction: rtl" in (block.get("style") or "")
    style = root.find("Style")
    assert style is not None
    assert f".{block.get('className')} .lsf-richtext__container" in (style.text or "")
    assert (root.find("./Labels") or ET.Element("x")).get("toName") == "text"


def test_title_and_origin_come_before_the_text_and_values_are_per_region() -> None:
    root = parsed()
    order = [(e.tag, e.get("value") or e.get("name")) for e in root.iter() if e.tag in ("Header", "Text")]
    assert order[:3] == [("Header", "$title"), ("Header", "$origin"), ("Text", "$text")]
    areas = {a.get("name"): a.attrib for a in root.iter("TextArea")}
    assert set(areas) == {"value", "note"}
    assert all(a["perRegion"] == "true" and a["toName"] == "text" for a in areas.values())


def test_label_names_and_descriptions_are_escaped() -> None:
    tricky = LabelInfo('A&B "<x>"', 'uses < and & and "quotes"', "#000000", "z")
    xml = label_config((*LABEL_TABLE, tricky))
    (label,) = [x for x in parsed(xml).iter("Label") if x.get("hotkey") == "z"]
    assert (label.get("value"), label.get("hint")) == (tricky.name, tricky.description)


def test_written_once_and_the_committed_file_is_current(repo: Repo, real_repo: Repo) -> None:
    path = repo.annotation_dir / "label_config.xml"
    path.unlink(missing_ok=True)
    assert write_label_config(repo) == ["annotation/label_config.xml"]
    assert write_label_config(repo) == []
    assert (real_repo.annotation_dir / "label_config.xml").read_text(encoding="utf-8") == label_config()


@pytest.mark.labelstudio
def test_the_server_accepts_the_config_and_rejects_a_broken_one(
    label_studio: Any, project_title: str
) -> None:
    from label_studio_sdk.core.api_error import ApiError

    client = label_studio.client()
    project = client.projects.create(title=project_title)
    client.projects.validate_label_config(id=project.id, label_config=label_config())
    with pytest.raises(ApiError) as refused:
        client.projects.validate_label_config(
            id=project.id, label_config=label_config().replace('toName="text"', 'toName="txt"', 1)
        )
    assert "txt" in str(refused.value.body)
