"""Fillable AcroForm fields laid over a Typst-made form.

The template draws every blank as a box and leaves a ``<field>`` mark with the blank's name,
kind, page and box (in points, from the page's top-left corner). This module adds one widget
per mark with pikepdf: text and multi-line text fields, checkboxes with drawn on and off
appearances, dates and date-times (text fields with the AFDate format and keystroke actions
that PDF viewers use for dates), numbers (AFNumber) and yes/no choices. Each widget carries
an accessible name (``/TU``) and joins the page's structure tree as a Form element, so a
screen reader announces it.
"""

from __future__ import annotations

import io
from typing import Any

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd HH:MM"
FONT_SIZE = 9
CHECK_FONT_SIZE = 8

# field kind -> (PDF field type, JavaScript format action, keystroke action, tooltip suffix)
_ACTIONS = {
    "date": (f'AFDate_FormatEx("{DATE_FORMAT}");', f'AFDate_KeystrokeEx("{DATE_FORMAT}");', f"date ({DATE_FORMAT})"),
    "datetime": (
        f'AFDate_FormatEx("{DATETIME_FORMAT}");',
        f'AFDate_KeystrokeEx("{DATETIME_FORMAT}");',
        f"date and time ({DATETIME_FORMAT})",
    ),
    "number": ("AFNumber_Format(0, 0, 0, 0, '', true);", "AFNumber_Keystroke(0, 0, 0, 0, '', true);", "number"),
}
_MULTILINE = 1 << 12
_COMBO = 1 << 17


def add_fields(data: bytes, marks: list[dict[str, Any]]) -> tuple[bytes, int]:
    """``data`` (a PDF) with a widget for every mark; return the new bytes and the page count."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        if marks:
            _overlay(pdf, marks)
        out = io.BytesIO()
        # deterministic output (no new document id); the objects packed into compressed object
        # streams, which makes a form's file less than half the size and saves faster
        pdf.save(out, static_id=True, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue(), pages


def _overlay(pdf: Any, marks: list[dict[str, Any]]) -> None:
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    helv = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    zadb = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.ZapfDingbats))
    on, off = _check_appearances(pdf, zadb)
    fields = Array()
    seen: dict[str, int] = {}
    struct = _StructureTree(pdf)
    for mark in marks:
        page = pdf.pages[mark["page"] - 1]
        height = float(page.mediabox[3]) - float(page.mediabox[1])
        x0 = float(page.mediabox[0]) + mark["x"]
        top = float(page.mediabox[1]) + height - mark["y"]  # Typst measures from the top, PDF from the bottom
        rect = [x0, top - mark["h"], x0 + mark["w"], top]
        name = mark["name"]
        if name in seen:  # the tree guarantees unique names; guard against a form that reuses one
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        title = mark.get("title") or mark.get("label") or name
        widget = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=rect,
            F=4,  # print
            P=page.obj,
            T=String(name),
            TU=String(title),
        )
        kind = mark["kind"]
        if kind == "checkbox":
            widget.FT = Name.Btn
            widget.V = Name.Off
            widget.AS = Name.Off
            widget.MK = Dictionary(CA=String("4"))
            widget.DA = String(f"/ZaDb {CHECK_FONT_SIZE} Tf 0 g")
            widget.AP = Dictionary(N=Dictionary(Yes=on, Off=off))
        elif kind == "yesno":
            widget.FT = Name.Ch
            widget.Ff = _COMBO
            widget.Opt = Array([String(""), String("Yes"), String("No"), String("N/A")])
            widget.V = String("")
            widget.DA = String(f"/Helv {FONT_SIZE} Tf 0 g")
            widget.TU = String(f"{title} (yes or no)")
        else:
            widget.FT = Name.Tx
            widget.DA = String(f"/Helv {FONT_SIZE} Tf 0 g")
            widget.V = String("")
            if kind == "textarea":
                widget.Ff = _MULTILINE
            if kind in _ACTIONS:
                fmt, keystroke, what = _ACTIONS[kind]
                widget.AA = Dictionary(
                    F=Dictionary(S=Name.JavaScript, JS=String(fmt)),
                    K=Dictionary(S=Name.JavaScript, JS=String(keystroke)),
                )
                widget.TU = String(f"{title}: {what}")
            elif kind == "signature":
                widget.TU = String(f"{title}: signature or initials")
        widget = pdf.make_indirect(widget)
        struct.add(widget, page, title)
        annots = page.obj.get("/Annots")
        if annots is None:
            page.obj.Annots = Array([widget])
        else:
            annots.append(widget)
        fields.append(widget)
    pdf.Root.AcroForm = Dictionary(
        Fields=fields,
        NeedAppearances=True,  # viewers draw the text fields' appearances from /DA
        DA=String(f"/Helv {FONT_SIZE} Tf 0 g"),
        DR=Dictionary(Font=Dictionary(Helv=helv, ZaDb=zadb)),
    )
    # tab through the fields in structure order, as PDF/UA asks
    for page in pdf.pages:
        if "/Annots" in page.obj:
            page.obj.Tabs = Name.S
    del pikepdf  # imported for its side effect of registering the object model


def _check_appearances(pdf: Any, zadb: Any) -> tuple[Any, Any]:
    """The drawn "on" (a check mark) and "off" (empty) states of a 9 pt checkbox."""
    from pikepdf import Dictionary, Name, Stream

    def stream(content: bytes) -> Any:
        return Stream(
            pdf,
            content,
            Type=Name.XObject,
            Subtype=Name.Form,
            BBox=[0, 0, 9, 9],
            Resources=Dictionary(Font=Dictionary(ZaDb=zadb)),
        )

    on = stream(b"q BT 0 g /ZaDb 8 Tf 1.2 1.6 Td (4) Tj ET Q")
    off = stream(b"")
    return pdf.make_indirect(on), pdf.make_indirect(off)


class _StructureTree:
    """Adds each widget to the tagged PDF's structure tree as a ``Form`` element."""

    def __init__(self, pdf: Any):
        from pikepdf import Array, Dictionary, Name

        self.pdf = pdf
        root = pdf.Root.get("/StructTreeRoot")
        self.root = root
        self.parent: Any = None
        self.tree: Any = None
        self.next_key = 0
        if root is None:
            return
        kids = root.get("/K")
        top = kids[0] if isinstance(kids, Array) and len(kids) else kids
        self.parent = top if isinstance(top, Dictionary) else root
        tree = root.get("/ParentTree")
        if tree is None:
            tree = pdf.make_indirect(Dictionary(Nums=Array()))
            root.ParentTree = tree
        self.tree = tree
        nums = tree.get("/Nums", Array())
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        self.next_key = max([int(root.get("/ParentTreeNextKey", 0)), *(k + 1 for k in keys)])
        if "/Nums" not in tree:
            tree.Nums = nums
        del Name

    def add(self, widget: Any, page: Any, title: str) -> None:
        if self.root is None:
            return
        from pikepdf import Array, Dictionary, Name, String

        element = self.pdf.make_indirect(
            Dictionary(
                Type=Name.StructElem,
                S=Name.Form,
                P=self.parent,
                Pg=page.obj,
                Alt=String(title),
                K=Dictionary(Type=Name.OBJR, Obj=widget, Pg=page.obj),
            )
        )
        kids = self.parent.get("/K")
        if kids is None:
            self.parent.K = Array([element])
        elif isinstance(kids, Array):
            kids.append(element)
        else:
            self.parent.K = Array([kids, element])
        widget.StructParent = self.next_key
        self.tree.Nums.append(self.next_key)
        self.tree.Nums.append(element)
        self.next_key += 1
        self.root.ParentTreeNextKey = self.next_key
