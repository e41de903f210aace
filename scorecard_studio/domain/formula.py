"""The safe formula language of formula KPIs: a real grammar, never Python ``eval``.

``churned_arr / (arr + 1) * 100`` or ``max(nps, 0) - abs(ces_gap)``: numbers, KPI ids,
``+ - * /`` (also ``×`` and ``÷``), unary minus, parentheses and the functions ``min``,
``max`` and ``abs``. Parsing yields a small immutable AST, so the engine can evaluate it on
whole arrays of (tier, period) actuals at once and the design checks can list references
and find cycles without evaluating anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from scorecard_studio.domain.errors import DesignError

_GRAMMAR = r"""
?start: sum
?sum: product
    | sum "+" product   -> add
    | sum "-" product   -> sub
?product: unary
    | product ("*" | "×") unary  -> mul
    | product ("/" | "÷") unary  -> div
?unary: atom
    | "-" unary  -> neg
    | "+" unary
?atom: NUMBER          -> number
    | NAME "(" [sum ("," sum)*] ")"  -> call
    | NAME             -> ref
    | "(" sum ")"
NAME: /[A-Za-z_][A-Za-z0-9_]*/
NUMBER: /(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/
%import common.WS
%ignore WS
"""

FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "abs": (1, 1)}


@dataclass(frozen=True, slots=True)
class Num:
    value: float


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    args: tuple[Node, ...]


Node = Num | Ref | Neg | BinOp | Call


class _ToAst(Transformer[Token, Node]):
    @v_args(inline=True)
    def number(self, token: Token) -> Node:
        return Num(float(token))

    @v_args(inline=True)
    def ref(self, token: Token) -> Node:
        return Ref(str(token))

    @v_args(inline=True)
    def neg(self, operand: Node) -> Node:
        return Neg(operand)

    @v_args(inline=True)
    def add(self, a: Node, b: Node) -> Node:
        return BinOp("+", a, b)

    @v_args(inline=True)
    def sub(self, a: Node, b: Node) -> Node:
        return BinOp("-", a, b)

    @v_args(inline=True)
    def mul(self, a: Node, b: Node) -> Node:
        return BinOp("*", a, b)

    @v_args(inline=True)
    def div(self, a: Node, b: Node) -> Node:
        return BinOp("/", a, b)

    def call(self, items: list[Token | Node | None]) -> Node:
        name = str(items[0])
        args = tuple(a for a in items[1:] if a is not None and not isinstance(a, Token))
        return Call(name, args)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="lalr")


@lru_cache(maxsize=4096)
def parse_formula(text: str, path: str = "formula") -> Node:
    """Parse a formula; DesignError names the position and what was unexpected."""
    if not text or not text.strip():
        raise DesignError(path, "the formula is empty")
    try:
        tree = _parser().parse(text)
    except UnexpectedCharacters as exc:
        raise DesignError(
            path, f"unexpected character {exc.char!r} at position {exc.column}"
        ) from None
    except UnexpectedEOF:
        raise DesignError(path, "the formula ends too early") from None
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise DesignError(path, "the formula ends too early") from None
        raise DesignError(path, f"unexpected {str(exc.token)!r} at position {exc.column}") from None
    except UnexpectedInput as exc:
        raise DesignError(path, f"unexpected input at position {exc.column}") from None
    except LarkError as exc:  # any other parser complaint
        raise DesignError(path, f"cannot parse formula: {exc}") from None
    node = _ToAst().transform(tree)
    _check_calls(node, path)
    return node


def _check_calls(node: Node, path: str) -> None:
    match node:
        case Call(function, args):
            if function not in FUNCTIONS:
                known = ", ".join(sorted(FUNCTIONS))
                raise DesignError(path, f"unknown function {function!r} (known: {known})")
            low, high = FUNCTIONS[function]
            if len(args) < low or (high is not None and len(args) > high):
                raise DesignError(path, f"{function}() takes {_arity(low, high)}")
            for a in args:
                _check_calls(a, path)
        case Neg(operand):
            _check_calls(operand, path)
        case BinOp(_, left, right):
            _check_calls(left, path)
            _check_calls(right, path)
        case _:
            pass


def _arity(low: int, high: int | None) -> str:
    if high == low:
        return f"exactly {low} argument{'s' if low != 1 else ''}"
    return f"at least {low} arguments"


def references(node: Node) -> set[str]:
    """Every KPI id a formula refers to."""
    match node:
        case Ref(name):
            return {name}
        case Neg(operand):
            return references(operand)
        case BinOp(_, left, right):
            return references(left) | references(right)
        case Call(_, args):
            out: set[str] = set()
            for a in args:
                out |= references(a)
            return out
        case _:
            return set()


T = TypeVar("T")


class Arithmetic(Protocol[T]):
    """The operations evaluation needs, so one evaluator serves floats and arrays."""

    def constant(self, value: float) -> T: ...
    def divide(self, a: T, b: T) -> T: ...
    def minimum(self, a: T, b: T) -> T: ...
    def maximum(self, a: T, b: T) -> T: ...
    def absolute(self, a: T) -> T: ...


def evaluate(node: Node, env: Mapping[str, T], arith: Arithmetic[T]) -> T:
    """Evaluate ``node`` with KPI values from ``env``; division by zero is the caller's."""
    ops: dict[str, Callable[[T, T], T]] = {
        "+": lambda a, b: a + b,  # type: ignore[operator]
        "-": lambda a, b: a - b,  # type: ignore[operator]
        "*": lambda a, b: a * b,  # type: ignore[operator]
        "/": arith.divide,
    }
    match node:
        case Num(value):
            return arith.constant(value)
        case Ref(name):
            return env[name]
        case Neg(operand):
            return arith.constant(0.0) - evaluate(operand, env, arith)  # type: ignore[operator,no-any-return]
        case BinOp(op, left, right):
            return ops[op](evaluate(left, env, arith), evaluate(right, env, arith))
        case Call(function, args):
            values = [evaluate(a, env, arith) for a in args]
            if function == "abs":
                return arith.absolute(values[0])
            combine = arith.minimum if function == "min" else arith.maximum
            result = values[0]
            for v in values[1:]:
                result = combine(result, v)
            return result
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


class FloatArithmetic:
    """Scalar arithmetic where x/0 is NaN (no data), as in the vectorised engine."""

    def constant(self, value: float) -> float:
        return value

    def divide(self, a: float, b: float) -> float:
        return a / b if b != 0 else float("nan")

    def minimum(self, a: float, b: float) -> float:
        return min(a, b)

    def maximum(self, a: float, b: float) -> float:
        return max(a, b)

    def absolute(self, a: float) -> float:
        return abs(a)


def formula_order(formulas: Mapping[str, set[str]]) -> tuple[list[str], list[list[str]]]:
    """Topological order of formula KPIs, and the cycles that prevent one.

    ``formulas`` maps a formula KPI to the ids it references; references to non-formula KPIs
    are leaves. Returns (evaluation order, cycles), each cycle as a list of ids.
    """
    order: list[str] = []
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(node: str, stack: list[str]) -> None:
        mark = state.get(node, 0)
        if mark == 2:
            return
        if mark == 1:
            cycles.append([*stack[stack.index(node) :], node])
            return
        state[node] = 1
        stack.append(node)
        for ref in sorted(formulas.get(node, ())):
            if ref in formulas:
                visit(ref, stack)
        stack.pop()
        state[node] = 2
        order.append(node)

    for name in formulas:
        visit(name, [])
    return order, cycles
