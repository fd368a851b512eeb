"""branca's macro elements render each part once, as text, never compiled again as a template.

``MacroElement.render`` (branca 0.8) renders an element's header, HTML and script macros and
wraps each result in ``Element(text)``, whose constructor compiles the text as a Jinja
template, only to render it again when the page is written: a tooltip, a popup, a feature
group or a marker cluster costs a Jinja compilation of its own output, every time a layer is
drawn (about 40 per period change, a tenth of its time with the shipped data).

:func:`render_parts_once` does what ``MacroElement.render`` does, but adds each part as text
that renders to itself; :func:`use` installs it on ``MacroElement``, once, when the layers
package is imported. The page is the same (``tests/test_layers.py`` compares a map rendered
both ways).
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement

#: branca's own ``MacroElement.render``, kept to compare with and to restore.
BRANCA_RENDER = MacroElement.render


class RenderedText(Element):
    """Text that is already rendered: written as is, never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text itself."""
        return self.text


def render_parts_once(self: MacroElement, **kwargs: Any) -> None:
    """``MacroElement.render``, with each rendered part added as :class:`RenderedText`."""
    figure = self.get_root()
    if not isinstance(figure, Figure):
        msg = "You cannot render this Element if it is not in a Figure."
        raise TypeError(msg)
    macros = self._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            text = str(macro(self, kwargs))
            # Jinja drops one trailing newline when it renders a template: so does this.
            text = text.removesuffix("\n")
            getattr(figure, part).add_child(RenderedText(text), name=self.get_name())
    for child in self._children.values():
        child.render(**kwargs)


def use(render: Any = render_parts_once) -> None:
    """Install ``render`` as ``MacroElement.render`` (:data:`BRANCA_RENDER` restores branca's)."""
    MacroElement.render = render  # type: ignore[method-assign]
