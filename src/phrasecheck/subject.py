"""Who says a wording: the agent of itself, someone else, or nobody (a hedge or a condition).

不知道 is dismissive when the agent says it of itself (这个我不知道, 不知道。), not when it is
said of a third party (住户们可能还不知道, 师傅说他不知道), nor in a condition (如果不知道户号),
nor as a hedge that opens an indirect question (不知道是不是网络的原因, 不知道您现在方便吗), nor
when the agent narrates what it did not know then (之前我们不知道这个情况). Rules marked
``first_person`` are decided from the words before the hit in its clause, with jieba's
part-of-speech tags, instead of a list of every subject one could think of. The compiled
core (``rust/resolve.rs``) walks as below; this module holds the word lists and patterns the
plan carries to it.

The walk goes back from the hit, word by word, within the clause: adverbs and time words
(可能 还 也 都 大概 并 根本 目前…) are passed over, as are 自己 and 这边/那边; a reporting verb
(说, 讲, 表示) is passed over too, so that its own subject decides (师傅说不知道). The first
other word decides: 我/我们/咱们 is the speaker; a personal pronoun, a person's name or a noun
for a person (…员 …户 …主 邻居 孩子) is a third party; a noun owned by a pronoun (他们部门,
我们公司) belongs to that pronoun; asking whether (您是不是不知道…) is a question, not a
brush-off; anything else (a verb, an interjection, a thing fronted as the topic: 电话不知道)
leaves the speaker as the implied subject.
"""

from __future__ import annotations

import re


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# 小妹 / 妹子 are how e-commerce chat agents name themselves (小妹这边不太清楚哦); 小二 is not
# here, as 商家小二 is the seller's agent.
SPEAKER = frozenset(
    {"我", "我们", "咱", "咱们", "俺", "俺们", "本人", "我这边", "我们这边", "小妹", "妹子"}
)
PERSONAL_PRONOUNS = _words(
    "他 她 它 他们 她们 它们 你 您 你们 您们 大家 别人 人家 有人 谁 对方 各位 大伙 大伙儿 "
    "其他人 其他 其它 旁人 某人 他人 任何人 没人 没有人"
)
# Nouns whose last character names a person (住户, 业主, 快递员, 邻居, 师傅, 阿姨, 同学…) or
# a body of people (物流公司, 业委会, 工程部, 派出所, 供电局, 银行).
PERSON_SUFFIXES = frozenset(
    "人们户主客员工师傅生士友居长姨姐哥弟妹爷奶妈爸叔婆孩警卫属导宝娃司局部会站厂行商处所院队组"
)
PERSON_WORDS = _words(
    "人 孩子 儿子 女儿 同事 司机 保安 保洁 快递 领导 老板 前台 家里 商家 卖家 厂家 店家 店铺"
)
# Passed over on the way back to the subject.
TRANSPARENT = _words(
    "可能 大概 也许 或许 应该 好像 似乎 肯定 一定 确实 真的 其实 根本 压根 完全 暂时 目前 现在 "
    "还 也 都 并 就 又 真 自己 本身 这边 那边 那里 这里 那儿 这儿 还是 估计 恐怕 多半 "
    "一般 通常 往往 经常 常常 大多 多数 大部分 基本 基本上 普遍 一直 从来 向来 始终 总是 仍然 "
    "依然 未必 不一定 全都 全 都还 也都 还都 压根儿 确确实实"
)
REPORTING = _words("说 讲 表示 反映 称 回答 回复 告诉 说过 讲过 说了")
CONDITIONALS = _words("如果 要是 假如 万一 若 若是 倘若 假设 假使 只要 一旦 如")
# Before the hit: asking whether someone does not know (您是不是不知道密码) is a question to the
# customer, not the agent's brush-off, unless the agent names itself (我是不是不知道).
ASKING_WHETHER = _words("是不是 是否 会不会 难道 莫非")
PAST = _words("之前 以前 当时 那时 那时候 原来 起初 一开始 刚才 本来 事先 当初 早先")
_TRANSPARENT_TAGS = ("d", "t", "m")  # adverbs (d, ad), time words, quantities (大多)
_PERSON_TAGS = ("nr",)  # person names (jieba tags 师傅, 阿姨 so too)

# After the hit, in its clause: an indirect whether-question (是不是, 有没有, 方不方便, 是否,
# 清楚了没有, a question particle) makes 不知道 a hedge whoever the subject; an indirect wh-question
# (什么时候, 谁, 怎么样) does so only when no speaker is named (不知道师傅修得怎么样 is a hedge,
# 我不知道他什么时候来 a statement). The core reads both (rust/resolve.rs's `whether` and `wh`:
# A不A needs a back-reference, which its regular expressions do not have).

# Right after the hit: "(even) not knowing is fine" reassures the customer (不知道也没关系).
_NO_MATTER = re.compile(r"(也|都|)(没关系|不要紧|没事|没问题|不碍事|无所谓)")
