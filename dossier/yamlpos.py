"""YAML loading that keeps where every mapping, key and value came from.

Built on PyYAML's safe loader: only plain data (no Python objects). Stricter than
``yaml.safe_load``:

- a duplicate key is an error (PyYAML keeps the last one silently); a key given by a merge
  (``<<: *base``) may be overridden, as YAML intends;
- dates stay strings, so ``2025-07`` and ``2025-07-02`` are read the same way;
- only plain values: text, numbers, true/false, null, lists and mappings (no ``!!binary``,
  ``!!set``, ``!!timestamp``…), and no number of more than ``MAX_DIGITS`` digits;
- nesting deeper than ``MAX_DEPTH`` and aliases that expand to more than ``MAX_ALIAS_VALUES``
  values (a "billion laughs" bomb) are refused at the place they happen, before anything is
  built: neither can hang or crash the build. An alias inside its own anchor is refused too.

Nodes are composed here in Python from libyaml's events, not by libyaml's composer: that one
recurses in C and crashes the interpreter on input nested some 100,000 levels deep.
"""

from __future__ import annotations

import yaml
from yaml.composer import Composer
from yaml.resolver import Resolver

try:  # libyaml's parser is several times faster; composer and constructor are ours either way
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):
        """The pure-Python reader, scanner and parser, set up like the C parser."""

        def __init__(self, stream):
            """Set up the three stages."""
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


MAX_DEPTH = 32  # a fact file needs 6 levels (list, record, claims, claim, sources, id)
MAX_ALIAS_VALUES = 10_000  # values that aliases may add to a file, in all
MAX_DIGITS = 50  # longer integers are mistakes (and Python refuses to read > 4,300 digits)
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null",
                                                   "map", "seq", "merge", "value")}


class Mapping(dict):
    """A YAML mapping that remembers the position of itself, its keys and its values."""

    pos: tuple[int, int] = (1, 1)
    key_pos: dict
    value_pos: dict

    def where(self, key=None) -> tuple[int, int]:
        """Return the (line, col) of a key's value, or of the mapping itself."""
        if key is not None and key in self.value_pos:
            return self.value_pos[key]
        return self.pos


class Sequence(list):
    """A YAML sequence that remembers its position and each item's position."""

    pos: tuple[int, int] = (1, 1)
    item_pos: list

    def where(self, index=None) -> tuple[int, int]:
        """Return the (line, col) of an item, or of the sequence itself."""
        if index is not None and 0 <= index < len(self.item_pos):
            return self.item_pos[index]
        return self.pos


def _mark(node, line_offset: int) -> tuple[int, int]:
    """The 1-based (line, col) where a node or an event starts."""
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


class _Loader(Composer, _Parser, yaml.constructor.SafeConstructor, Resolver):
    """Safe loader that builds ``Mapping``/``Sequence``, reports duplicate keys and refuses
    input too deep or too expanded to build."""

    line_offset = 0
    duplicates: list

    def __init__(self, text: str):
        """Set up the parser, composer, constructor and resolver, and the limits' counters."""
        _Parser.__init__(self, text)
        Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.depth = 0
        self.alias_values = 0  # values added by aliases so far
        self.values = 0  # values composed so far, aliases expanded
        self.sizes: dict = {}  # anchor → how many values it holds, once complete

    def compose_node(self, parent, index):
        """Compose one node, enforcing the depth and expansion limits at its place."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            size = self.sizes.get(event.anchor)
            if size is None and event.anchor in self.anchors:
                raise self._refuse(event, f"the alias '*{event.anchor}' is inside its own "
                                   "anchor", "an anchored value cannot contain itself")
            node = super().compose_node(parent, index)  # an undefined alias fails here
            self.values += size
            self.alias_values += size
            if self.alias_values > MAX_ALIAS_VALUES:
                raise self._refuse(event, f"aliases expand this file to more than "
                                   f"{MAX_ALIAS_VALUES} extra values",
                                   "write the values out instead of repeating '*"
                                   f"{event.anchor}'; aliases are for a few shared values")
            return node
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._refuse(event, f"the YAML is nested more than {MAX_DEPTH} levels deep",
                               "a fact needs a few levels: a list of records, each a mapping "
                               "of fields; check the indentation or the brackets")
        start = self.values
        node = super().compose_node(parent, index)
        self.values += 1
        if event.anchor is not None:
            self.sizes[event.anchor] = self.values - start
        self.depth -= 1
        return node

    def _refuse(self, where, message: str, hint: str):
        """An error at an event's or a node's place (the loader's position is further on)."""
        line, col = _mark(where, self.line_offset)
        return YamlError(message, line, col, hint)

    def construct_object(self, node, deep=False):
        """Construct plain values only: refuse ``!!binary``, ``!!set`` and the like."""
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self._refuse(node, f"the YAML tag {tag} is not allowed",
                               "remove the tag: facts are plain text, numbers, true/false, "
                               "lists and mappings; quote a value to keep it as text")
        return super().construct_object(node, deep)

    def construct_yaml_int(self, node):
        """An integer, refused beyond ``MAX_DIGITS`` digits."""
        if len(node.value.replace("_", "")) > MAX_DIGITS:
            raise self._refuse(node, f"the number has more than {MAX_DIGITS} digits",
                               "check the number; quote it if it is a label, not a quantity")
        return super().construct_yaml_int(node)

    def construct_yaml_map(self, node):
        """Build a ``Mapping`` with positions; record keys written twice."""
        data = Mapping()
        data.pos = _mark(node, self.line_offset)
        data.key_pos, data.value_pos = {}, {}
        yield data
        own = sum(1 for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge")
        self.flatten_mapping(node)
        merged = len(node.value) - own  # merged pairs come first; the mapping's own follow
        written = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if index < merged:
                pass  # merged values: a later one (an earlier mapping in '<<: [..]') wins
            elif key in written:
                self.duplicates.append((key, _mark(key_node, self.line_offset)))
                continue
            else:
                written.add(key)
            data[key] = self.construct_object(value_node, deep=True)
            data.key_pos[key] = _mark(key_node, self.line_offset)
            data.value_pos[key] = _mark(value_node, self.line_offset)

    def construct_yaml_seq(self, node):
        """Build a ``Sequence`` with each item's position."""
        data = Sequence()
        data.pos = _mark(node, self.line_offset)
        data.item_pos = [_mark(child, self.line_offset) for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)
# Dates stay strings: the model accepts partial dates (YYYY-MM) and must not mix types.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}


class YamlError(Exception):
    """A YAML document that cannot be read, with its position."""

    def __init__(self, message: str, line: int, col: int, hint: str = ""):
        """Keep the message, its place and, when the loader knows better, a hint."""
        super().__init__(message)
        self.message, self.line, self.col, self.hint = message, line, col, hint


def load(text: str, line_offset: int = 0):
    """Parse one YAML document; return ``(data, duplicates)``.

    ``line_offset`` shifts reported lines, for YAML embedded in a larger file (front matter).
    ``duplicates`` lists ``(key, (line, col))`` for every repeated key. Raises ``YamlError``.
    """
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"YAML syntax error: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}", 1 + line_offset, 1) from None
    finally:
        loader.dispose()
    return data, loader.duplicates
