"""Which annotation of a task is merged into gold, and who made it.

One annotation per task is taken: the one marked ``ground_truth``, else the only
submitted, non-cancelled one.  Several submitted annotations without a ground
truth are a *conflict*: reported, the gold left unchanged, never an arbitrary
pick.  Drafts and cancelled (skipped) annotations are ignored with a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasd.formats.labelstudio import AnnotationJSON, TaskJSON


def annotator(annotation: AnnotationJSON) -> str:
    """Who made an annotation: the e-mail when the export carries it, else the user id."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return str(who.get("email") or who.get("id"))
    return f"user {who}" if who is not None else "unknown user"


def annotation_name(annotation: AnnotationJSON) -> str:
    return f"annotation {annotation.get('id', '?')} by {annotator(annotation)}"


@dataclass(frozen=True)
class Selection:
    """The annotation a task contributes, or why none: ``taken`` xor ``conflict`` or neither."""

    taken: AnnotationJSON | None
    conflict: tuple[AnnotationJSON, ...] = ()
    notes: tuple[str, ...] = ()


def submitted(task: TaskJSON) -> list[AnnotationJSON]:
    return [a for a in task.get("annotations", []) if not a.get("was_cancelled", False)]


def ignored_notes(task: TaskJSON) -> list[str]:
    """Notes on what a task holds that is never merged: drafts and cancelled annotations."""
    notes = []
    drafts = task.get("drafts", [])
    if drafts:
        notes.append(f"{len(drafts)} draft(s) ignored: only submitted annotations are merged")
    for a in task.get("annotations", []):
        if a.get("was_cancelled", False):
            notes.append(f"{annotation_name(a)} was cancelled (skipped) and is ignored")
    return notes


def select_annotation(task: TaskJSON) -> Selection:
    """Apply the selection rule (see the module docstring) to one task."""
    notes = ignored_notes(task)
    candidates = submitted(task)
    truths = [a for a in candidates if a.get("ground_truth", False)]
    if len(truths) == 1:
        others = len(candidates) - 1
        if others:
            notes.append(f"ground truth {annotation_name(truths[0])} taken over {others} other annotation(s)")
        return Selection(truths[0], notes=tuple(notes))
    if len(truths) > 1:
        return Selection(None, tuple(truths), tuple([*notes, "several annotations are marked ground truth"]))
    if len(candidates) == 1:
        return Selection(candidates[0], notes=tuple(notes))
    if not candidates:
        return Selection(None, notes=tuple([*notes, "no submitted annotation: gold left as it is"]))
    return Selection(None, tuple(candidates), tuple(notes))
