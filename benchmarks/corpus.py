"""Deterministic synthetic corpora for the benchmarks.

Benchmarks need far more text than the hand-written samples, and the same text on every run so
that numbers can be compared. The generators here build agent utterances and whole transcripts
of a property-management (物业) service centre from hand-written clause templates, with taboo
and polite wordings taken from the bundled rule files, some traditional script and some noise,
in roughly the proportions seen in real transcripts. Everything is driven by one
``random.Random(seed)``: the same arguments always give the same text.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from opencc import OpenCC

from phrasecheck.rules.patterns import expand, has_slots, parse

DATA = Path(__file__).resolve().parent.parent / "data"

TABOO_SHARE = 0.15
POLITE_SHARE = 0.35
TRADITIONAL_SHARE = 1 / 3
NOISE_SHARE = 0.10
MIN_CHARS, MAX_CHARS = 8, 60
AGENT_IDS = tuple(f"A{number:02d}" for number in range(1, 9))

# Slot values for the clause templates below.
SLOTS = {
    "bldg": [str(n) for n in range(1, 31)],
    "unit": [str(n) for n in range(1, 7)],
    "room": [f"{floor}{door:02d}" for floor in range(1, 33) for door in (1, 2, 3, 4)],
    "time": [
        "上午九点",
        "上午十点半",
        "下午两点",
        "下午三点左右",
        "今天下午",
        "明天上午",
        "半小时内",
    ],
    "days": ["一", "两", "三", "五"],
    "amount": ["268", "315.6", "1280", "150", "420", "96.5"],
    "place": ["卫生间", "厨房", "阳台", "客厅", "主卧", "地下车库", "楼道", "电梯厅"],
    "problem": ["漏水", "渗水", "下水道堵塞", "跳闸", "灯不亮", "墙皮脱落", "水管爆裂", "门锁坏了"],
    "location": ["一号门岗", "物业前台", "三号快递柜", "地下一层收发室", "南门驿站"],
    "surname": ["李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"],
    "phone": ["13800001202", "13912345678", "13688886666", "15000003301", "18611112222"],
}

AGENT_CLAUSES = [
    # repairs
    "{bldg}栋{unit}单元{room}的报修已经登记了",
    "维修师傅{time}上门",
    "我这边马上给工程部派单",
    "师傅出发前会先给您打电话",
    "您家{place}{problem}的情况我记下了",
    "麻烦您先把总阀关一下",
    "电梯维保单位的人已经在路上了",
    "{place}的灯我们今天之内安排更换",
    "公共区域的维修是免费的",
    "户内维修需要收取一点材料费",
    "维修完成后请您在工单上签个字",
    "可能是楼上{room}的防水层出了问题",
    "我们先派人去楼上看一下",
    "工单号已经通过短信发给您了",
    # fees
    "您这个月的物业费是{amount}元",
    "物业费可以在小程序里直接缴纳",
    "停车费按月收取，每月{amount}元",
    "发票会在{days}个工作日内开好",
    "滞纳金这一块我帮您申请减免",
    "水电费是按表计量的",
    "缴费记录在APP的账单页面可以查到",
    "今年的收费标准没有变化",
    "预存的费用会自动抵扣",
    # parcels
    "您的快递放在{location}了",
    "快递柜的取件码已经发到您手机上",
    "超过四十八小时的包裹会转到前台",
    "大件包裹可以让管家帮您送上楼",
    "外卖和快递都不能上楼，需要到{location}自取",
    # complaints
    "您说的噪音问题我已经记录下来",
    "我们会安排秩序维护员去现场查看",
    "装修施工时间是早上八点到晚上六点",
    "这个情况我会反馈给主管",
    "处理结果会在{days}天内回复您",
    "保洁的问题我们今天就整改",
    "垃圾清运的时间会调整到早上",
    "楼下那辆车我们已经联系车主挪走",
    "邻居养狗的问题我们会上门沟通",
    # visitors, decoration, parking, notices
    "访客登记需要出示身份证",
    "装修许可证要到物业前台办理",
    "装修押金在验收合格后退还",
    "临时车辆停车前半小时免费",
    "门禁卡补办需要本人带身份证过来",
    "停水通知已经发在业主群里了",
    "{time}小区停水检修",
    "消防通道不能停车",
    "宠物出门请牵好绳",
    "中秋活动在{bldg}栋楼下的广场举行",
    # conversation glue
    "好的",
    "明白了",
    "我帮您看一下系统",
    "我查一下记录",
    "您稍后会收到一条短信",
    "请问您是几栋几单元的业主",
    "您贵姓",
    "您的联系电话还是{phone}吗",
    "我们的管家姓{surname}",
    "前台的工作时间是早八点到晚八点",
    "这个问题需要跟开发商那边核实",
    "我们会尽量在今天内处理完",
    "{surname}师傅{time}到",
    "您这边还有其他问题吗",
    "具体费用以师傅现场报价为准",
]

CUSTOMER_CLAUSES = [
    "我家{place}{problem}了",
    "你们什么时候能派人来",
    "物业费怎么又涨了",
    "我的快递怎么找不到了",
    "楼上每天晚上都很吵",
    "停车位太难找了",
    "这已经是第三次了",
    "上次报修到现在都没人来",
    "好的，谢谢",
    "行，那你们快一点",
    "我是{bldg}栋{unit}单元{room}的业主",
    "电梯又坏了",
    "垃圾好几天没人收了",
    "你们到底管不管",
    "我要投诉",
    "好吧",
    "嗯，知道了",
    "我姓{surname}，电话是{phone}",
    "那押金什么时候退",
    "师傅大概几点到",
    "发票能开专票吗",
    "门口那辆车堵了好几天了",
    "小区里的路灯又不亮了",
    "我下午在家，你们来吧",
    "麻烦你们快点处理",
    "可以微信缴费吗",
]

FILLERS = ["好的，", "是这样的，", "您放心，", "另外，", "那", "这边", "稍后", "嗯，"]
NOISE_FILLERS = ["嗯", "那个", "就是", "呃", "这个"]
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Utterance:
    """One generated utterance and what was put into it (for sanity checks)."""

    text: str
    taboo: str | None  # rule id of the inserted taboo wording
    polite: str | None  # rule id of the inserted polite wording
    traditional: bool
    noisy: bool


@cache
def _wordings(kind: str) -> tuple[tuple[str, str], ...]:
    """(rule id, wording) for every slot-free wording of the bundled rules of ``kind``."""
    name = "forbidden_phrases.yaml" if kind == "taboo" else "polite_phrases.yaml"
    rules = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["rules"]
    pairs = []
    for rule in rules:
        for pattern in [*rule["forms"], *rule.get("core", [])]:
            parts = parse(pattern)
            if not has_slots(parts):
                pairs.extend((rule["id"], wording) for wording in expand(parts))
    return tuple(pairs)


@cache
def _s2t() -> OpenCC:
    return OpenCC("s2t")


def _fill(template: str, rng: random.Random) -> str:
    return template.format(**{key: rng.choice(values) for key, values in SLOTS.items()})


def _clause(rng: random.Random, templates: list[str]) -> str:
    text = _fill(rng.choice(templates), rng)
    if rng.random() < 0.15:
        text = rng.choice(FILLERS) + text
    return text


def _join(clauses: list[str], rng: random.Random) -> str:
    last = clauses[-1]
    end = "？" if last.endswith(("吗", "呢", "姓")) or "请问" in last else rng.choice("。。。！")
    return "，".join(clauses) + end


def _add_noise(text: str, rng: random.Random) -> str:
    """Transcription noise the normalizer must absorb: spaces, widths, ZWSP, fillers."""
    for kind in rng.sample(["spaces", "width", "zwsp", "filler"], rng.randint(1, 2)):
        if kind == "spaces":
            for _ in range(rng.randint(1, 3)):
                at = rng.randint(0, len(text))
                text = text[:at] + rng.choice([" ", "  ", "\u3000"]) + text[at:]
        elif kind == "width":
            text = text.translate(FULL_WIDTH_DIGITS).replace("，", rng.choice([",", "、"]), 1)
            text = text[:-1] + rng.choice(["！！", "？！", "～", "……"])
        elif kind == "zwsp":
            at = rng.randint(0, len(text))
            text = text[:at] + "\u200b" + text[at:]
        else:
            cuts = [0] + [i + 1 for i, char in enumerate(text) if char == "，"]
            at = rng.choice(cuts)
            text = text[:at] + rng.choice(NOISE_FILLERS) + "，" + text[at:]
    return text


def _utterance(rng: random.Random, length: int | None) -> Utterance:
    special: list[str] = []
    taboo = polite = None
    if rng.random() < TABOO_SHARE:
        taboo, wording = rng.choice(_wordings("taboo"))
        special.append(wording)
    if rng.random() < POLITE_SHARE:
        polite, wording = rng.choice(_wordings("polite"))
        special.append(wording)
    neutral: list[str] = []
    if length is None:
        wanted = rng.choices([1, 2, 3, 4], weights=[3, 5, 3, 1])[0]
        while len(neutral) < max(wanted - len(special), 0 if special else 1):
            neutral.append(_clause(rng, AGENT_CLAUSES))
    else:
        # Keep adding until the text reaches ``length``; only the last clause is cut.
        while sum(map(len, special + neutral)) + len(special + neutral) < length:
            neutral.append(_clause(rng, AGENT_CLAUSES))
    clauses = list(neutral)
    for wording in special:
        last = len(clauses) - (1 if length is not None and clauses else 0)
        clauses.insert(rng.randint(0, max(last, 0)), wording)
    text = _join(clauses, rng)
    if length is None:
        while len(text) > MAX_CHARS and len(clauses) > len(special):
            clauses.remove(next(c for c in clauses if c not in special))
            text = _join(clauses, rng)
        while len(text) < MIN_CHARS:
            clauses.append(_clause(rng, AGENT_CLAUSES))
            text = _join(clauses, rng)
    else:
        text = text[: length - 1] + "。"
    traditional = rng.random() < TRADITIONAL_SHARE
    if traditional:
        text = _s2t().convert(text)
    noisy = rng.random() < NOISE_SHARE
    if noisy:
        text = _add_noise(text, rng)
    return Utterance(text, taboo, polite, traditional, noisy)


def iter_utterances(seed: int = 7, length: int | None = None) -> Iterator[Utterance]:
    """An endless, deterministic stream of labelled agent utterances."""
    rng = random.Random(seed)
    while True:
        yield _utterance(rng, length)


def labelled_utterances(n: int, seed: int = 7, length: int | None = None) -> list[Utterance]:
    """The first ``n`` utterances of :func:`iter_utterances`, with what each contains."""
    stream = iter_utterances(seed, length)
    return [next(stream) for _ in range(n)]


def utterances(n: int, seed: int = 7, length: int | None = None) -> list[str]:
    """``n`` agent utterances: 8–60 characters (median ≈ 25), or ≈ ``length`` each."""
    return [u.text for u in labelled_utterances(n, seed, length)]


def transcripts(n: int, seed: int = 11, turns: int = 20) -> Iterator[dict]:
    """``n`` transcripts in the project's JSONL shape, agent and customer turns alternating.

    A generator, so that a million turns can be written out without holding them in memory.
    """
    rng = random.Random(seed)
    agent = iter_utterances(seed)
    for index in range(n):
        yield {
            "id": f"bench-{seed}-{index:07d}",
            "agent_id": rng.choice(AGENT_IDS),
            "channel": "phone" if rng.random() < 0.7 else "chat",
            "direction": "inbound" if rng.random() < 0.8 else "outbound",
            "turns": [
                {"role": "agent", "text": next(agent).text}
                if turn % 2 == 0
                else {"role": "customer", "text": _customer_turn(rng)}
                for turn in range(turns)
            ],
        }


def _customer_turn(rng: random.Random) -> str:
    count = rng.choices([1, 2, 3], weights=[4, 4, 1])[0]
    return _join([_clause(rng, CUSTOMER_CLAUSES) for _ in range(count)], rng)


if __name__ == "__main__":  # a quick look: python benchmarks/corpus.py
    import statistics

    sample = labelled_utterances(5000)
    lengths = [len(u.text) for u in sample]
    print("length min/median/max:", min(lengths), statistics.median(lengths), max(lengths))
    for label, flag in [
        ("taboo", lambda u: u.taboo),
        ("polite", lambda u: u.polite),
        ("both", lambda u: u.taboo and u.polite),
        ("traditional", lambda u: u.traditional),
        ("noisy", lambda u: u.noisy),
    ]:
        print(f"{label:12s} {sum(1 for u in sample if flag(u)) / len(sample):.1%}")
    for u in sample[:12]:
        print(" ", u.text)
    print(" ", utterances(1, length=100)[0])
