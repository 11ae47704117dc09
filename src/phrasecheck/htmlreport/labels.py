"""Chinese labels a supervisor reads in the report, and outcome reasons put in their words.

Reports carry ids (``soothe_complaint``, ``missing_response``) and English reasons; the page
shows what a QA form would say. Unknown ids (a custom profile) are shown as they are.
"""

from __future__ import annotations

import re

KINDS = {
    "taboo": "服务忌语",
    "missing_opening": "开场语缺失",
    "missing_closing": "结束语缺失",
    "missing_response": "未及时回应",
}

EXPECTATIONS = {
    "opening_greeting": "开场问候（您好）",
    "opening_introduction": "开场自报单位或姓名/工号",
    "opening_offer_help": "开场询问“有什么可以帮您”",
    "closing_thanks": "结束时感谢来电",
    "closing_apology_outbound": "外呼结束时致歉或致谢",
    "closing_goodbye": "结束时说“再见”",
    "closing_courtesy_chat": "在线会话礼貌结束语",
    "reply_to_thanks": "客户致谢后回应“不客气”",
    "soothe_complaint": "客户不满或投诉后致歉或安抚",
    "wait_before_checking": "离开查询前请客户稍等",
    "ask_contact_for_callback": "承诺回电时询问联系方式",
}

CATEGORIES = {
    "rude": "服务忌语",
    "greeting": "问候",
    "phone_intro": "自我介绍",
    "offer_help": "主动询问",
    "closing": "结束语",
    "thanks_answered": "回应致谢",
    "complaint_soothed": "安抚投诉",
    "wait_announced": "请客户稍等",
    "callback_contact": "回电联系方式",
}

CHANNELS = {"phone": "电话", "chat": "在线", "social": "社交平台", "unknown": "未知"}
CHANNEL_SOURCES = {
    "record": "记录自带",
    "option": "命令行指定",
    "inferred": "推断",
    "default": "默认",
}
OUTCOMES = {"met": "已做到", "missed": "未做到", "not_applicable": "不适用"}
ROLES = {"agent": "坐席", "customer": "客户", "system": "系统"}
SEVERITIES = {"minor": "轻微", "major": "严重", "critical": "致命"}
DIRECTIONS = {"inbound": "呼入", "outbound": "外呼"}

# The scorer's not-applicable reasons (scoring._judge and friends), in Chinese.
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^no agent speech"), "通话中没有坐席发言"),
    (re.compile(r"^not expected on the (\w+) channel"), "{channel}渠道不要求"),
    (re.compile(r"^not expected on (\w+) calls"), "{direction}电话不要求"),
    (re.compile(r"^nothing in the transcript triggered it"), "通话中没有出现需要回应的情形"),
    (
        re.compile(r"^the transcript starts mid-way \((第\d+轮)"),
        "通话从中途开始（{0}接续前面的对话），不评开场",
    ),
    (
        re.compile(r"^the transcript ends on the customer \((第\d+轮)\)"),
        "通话在客户发言（{0}）处中断，不评结束语",
    ),
]


def kind(value: str) -> str:
    return KINDS.get(value, value)


def expectation(value: str | None) -> str:
    return EXPECTATIONS.get(value or "", value or "")


def category(value: str) -> str:
    return CATEGORIES.get(value, value)


def channel(value: str | None) -> str:
    return CHANNELS.get(value or "unknown", value or "未知")


def turns(window: list[int]) -> str:
    """Agent turns searched, 1-based as people count them: 第3轮 or 第3–5轮."""
    if not window:
        return ""
    first, last = window[0] + 1, window[-1] + 1
    return f"第{first}轮" if first == last else f"第{first}–{last}轮"


def not_applicable(reason: str) -> str:
    """The scorer's reason in Chinese; a reason this page does not know is shown as it is."""
    for pattern, template in _REASONS:
        found = pattern.search(reason)
        if found:
            groups = found.groups()
            if "{channel}" in template:
                return template.format(channel=channel(groups[0]))
            if "{direction}" in template:
                return template.format(direction=DIRECTIONS.get(groups[0], groups[0]))
            return template.format(*groups)
    return reason


_WARNINGS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^skipped ([\d,]+) file\(s\) in folders or globs: not transcripts$"),
        "跳过了文件夹或通配符中的 {0} 个非通话文件",
    ),
    (re.compile(r"^transcript id (.+) appears ([\d,]+) times$"), "通话编号 {0} 出现了 {1} 次"),
    (re.compile(r"^… and ([\d,]+) more warnings$"), "……另有 {0} 条提示"),
]


def warning(text: str) -> str:
    """A run's warning in Chinese where its wording is known; otherwise as it is."""
    for pattern, template in _WARNINGS:
        found = pattern.search(text)
        if found:
            return template.format(*found.groups())
    return text

