import re

import pytest

from phrasecheck.rules.patterns import (
    PatternError,
    expand,
    has_slots,
    parse,
    required_literals,
    to_regex,
)


def test_alternatives_and_optional_parts_expand():
    assert expand(parse("请(你|您)稍等(一下|)")) == [
        "请你稍等一下",
        "请你稍等",
        "请您稍等一下",
        "请您稍等",
    ]


def test_nested_groups():
    assert expand(parse("打扰((你|您)|)了")) == ["打扰你了", "打扰您了", "打扰了"]


def test_slots_compile_to_a_regex_over_normalized_text():
    parts = parse("(您好|你好)，××客服中心，我姓×，请问有什么可以帮(助|)您")
    assert has_slots(parts)
    pattern = re.compile(to_regex(parts))
    assert pattern.fullmatch("您好万科物业客服中心我姓李请问有什么可以帮助您")
    assert pattern.fullmatch("你好绿城客服中心我姓欧阳请问有什么可以帮您")
    assert not pattern.fullmatch("您好客服中心请问有什么可以帮助您")
    assert required_literals(parts) == ["客服中心我姓", "请问有什么可以帮", "您"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("请(你|您稍等", "never closed"),
        ("请你)稍等", "outside a group"),
        ("请（你｜您）稍等", "ASCII"),
    ],
)
def test_malformed_forms_are_explained(form, message):
    with pytest.raises(PatternError, match=re.escape(message)):
        parse(form)
