"""The words of questions about annual reports, and what each means.

Every word a question may use is one entry: the template's row labels and what people call them (收到 for 本年新收,
转到下一年 for 结转下年度), the columns (自然人, 企业, 维持, 废止 …), and the words that carry no meaning of their own
here (多少, 请问, 政府信息公开, 件). The question reader (``index.question``) covers a question with these words,
longest first, and what no entry covers is a word it did not understand: then the tables are not what is asked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Sense", "TERMS", "senses", "synonyms", "words_for", "segment", "CHAR_FILLERS", "COUNT_WORDS", "T3_GROUPS"]


@dataclass(frozen=True)
class Sense:
    kind: str  # row (a table-三/四 measure) | t2row | column | t2column | head (申请) | count | filler | text
    key: str = ""  # row key(s) joined by ","; a column key; a table-二 row key
    table: str = ""  # 二 / 三 / 四 for rows and columns
    label: str = ""
    verb: bool = False  # a verb of the row (收到, 答复了): the row only when nothing else is asked

    @property
    def rows(self) -> tuple[str, ...]:
        return tuple(self.key.split(",")) if self.key else ()


_W = ("state_secret", "prohibited_by_law", "three_safeties", "third_party", "internal_affairs", "process_info",
      "enforcement_files", "query_matters")
_U = ("not_held", "needs_creation", "still_unclear")
_N = ("petition", "repeated", "publications", "excessive", "confirmation")
T3_GROUPS = {
    "withheld": tuple(f"withheld.{k}" for k in _W),
    "unavailable": tuple(f"unavailable.{k}" for k in _U),
    "not_processed": tuple(f"not_processed.{k}" for k in _N),
}


def _row(table: str, rows: str | tuple[str, ...], label: str) -> Sense:
    return Sense("row", rows if isinstance(rows, str) else ",".join(rows), table, label)


def _verb(table: str, rows: str, label: str) -> Sense:
    return Sense("row", rows, table, label, verb=True)


def _t2(row: str, label: str) -> Sense:
    return Sense("t2row", row, "二", label)


def _col(table: str, key: str, label: str) -> Sense:
    return Sense("column" if table != "二" else "t2column", key, table, label)


_FILL = Sense("filler")
_COUNT = Sense("count")
_HEAD = Sense("head", "new_received", "三", "一、本年新收政府信息公开申请数量")
_TEXT = Sense("text")

# (surface words separated by spaces, sense)
_ENTRIES: tuple[tuple[str, Sense], ...] = (
    # --- table 四 -------------------------------------------------------------------------------------------
    ("未经复议直接起诉 未经复议直接向法院起诉 直接起诉 直接提起诉讼 直接提起行政诉讼 未经复议 没经过复议 没有经过复议 未经过复议 "
     "不经复议 直接去法院起诉 直接到法院起诉 直接向法院起诉 直接去法院 直接打官司 直接告",
     _row("四", "litigation_direct", "行政诉讼（未经复议直接起诉）")),
    ("复议后起诉 复议后提起诉讼 复议后提起行政诉讼 复议后诉讼 经复议后起诉 复议以后 复议之后 复议后 先复议 复议完又起诉",
     _row("四", "litigation_after_review", "行政诉讼（复议后起诉）")),
    ("行政诉讼 诉讼 起诉 被起诉 被诉 被告 官司 打官司 诉讼案件 行政诉讼案件 告到法院 告上法庭 上法庭 到法院起诉 去法院起诉 "
     "被人告 被告上法庭 告",
     _row("四", ("litigation_direct", "litigation_after_review"), "行政诉讼（两类合计）")),
    ("行政复议 复议 被申请行政复议 被申请复议 申请复议 申请行政复议 复议案件 行政复议案件",
     _row("四", "review", "行政复议")),
    ("结果维持 维持 维持原 维持原决定 维持原处理 维持原来的决定", _col("四", "upheld", "结果维持")),
    ("结果纠正 纠正 纠错 被纠正 撤销 确认违法 败诉", _col("四", "corrected", "结果纠正")),
    ("其他结果", _col("四", "other", "其他结果")),
    ("尚未审结 未审结 未结 没审完 没审结 没有审结 还在审 审理中 还没结", _col("四", "pending", "尚未审结")),
    # --- table 三: rows ---------------------------------------------------------------------------------------
    ("国家秘密 涉密 涉及国家秘密 属于国家秘密", _row("三", "withheld.state_secret", "不予公开：属于国家秘密")),
    ("其他法律行政法规禁止公开 法律行政法规禁止公开 法律法规禁止公开 法规禁止公开 法律禁止公开 禁止公开",
     _row("三", "withheld.prohibited_by_law", "不予公开：其他法律行政法规禁止公开")),
    ("三安全一稳定 危及三安全一稳定 三安全 一稳定", _row("三", "withheld.three_safeties", "不予公开：危及“三安全一稳定”")),
    ("第三方合法权益 保护第三方合法权益 第三方权益 第三方 涉及第三方", _row("三", "withheld.third_party",
                                                                    "不予公开：保护第三方合法权益")),
    ("三类内部事务信息 内部事务信息 内部事务 内部信息 三类内部事务 三类内部信息", _row("三", "withheld.internal_affairs", "不予公开：属于三类内部事务信息")),
    ("四类过程性信息 过程性信息 过程性 四类过程性 四类过程信息", _row("三", "withheld.process_info", "不予公开：属于四类过程性信息")),
    ("行政执法案卷 执法案卷 执法卷宗", _row("三", "withheld.enforcement_files", "不予公开：属于行政执法案卷")),
    ("行政查询事项 行政查询 查询事项", _row("三", "withheld.query_matters", "不予公开：属于行政查询事项")),
    ("本机关不掌握相关政府信息 本机关不掌握 不掌握 没有掌握 未掌握 不掌握信息 本机关不掌握信息 不掌握相关信息", _row("三", "unavailable.not_held",
                                                                    "无法提供：本机关不掌握相关政府信息")),
    ("没有现成信息需要另行制作 需要另行制作 另行制作 没有现成信息 没有现成 另外制作 要另外制作 需要另外制作 重新制作", _row("三", "unavailable.needs_creation",
                                                                         "无法提供：没有现成信息需要另行制作")),
    ("补正后申请内容仍不明确 补正后仍不明确 申请内容不明确 内容不明确 仍不明确 补正后",
     _row("三", "unavailable.still_unclear", "无法提供：补正后申请内容仍不明确")),
    ("信访举报投诉类申请 信访举报投诉类 信访举报投诉 信访类 信访 举报 投诉", _row("三", "not_processed.petition",
                                                                         "不予处理：信访举报投诉类申请")),
    ("重复申请 重复提出", _row("三", "not_processed.repeated", "不予处理：重复申请")),
    ("要求提供公开出版物 公开出版物 出版物", _row("三", "not_processed.publications", "不予处理：要求提供公开出版物")),
    ("无正当理由大量反复申请 大量反复申请 大量反复 反复申请", _row("三", "not_processed.excessive",
                                                          "不予处理：无正当理由大量反复申请")),
    ("要求行政机关确认或重新出具已获取信息 确认或重新出具 重新出具 要求确认", _row("三", "not_processed.confirmation",
                                                                          "不予处理：要求行政机关确认或重新出具已获取信息")),
    ("逾期不补正 无正当理由逾期不补正 不补正 没有补正 未补正", _row("三", "other.overdue_correction",
                                                            "其他处理：申请人无正当理由逾期不补正")),
    ("逾期未按收费通知要求缴纳费用 缴纳费用 收费通知 未缴费 不缴费 没缴费 未缴纳 不缴纳 没有缴纳 逾期未缴 未缴纳信息处理费 "
     "没交信息处理费 未交信息处理费 不缴纳信息处理费 没有缴纳信息处理费 没缴信息处理费 未缴纳处理费 没交费 未交费 缴费 "
     "未按收费通知缴费 逾期未按收费通知缴费 逾期未缴费",
     _row("三", "other.unpaid_fees", "其他处理：申请人逾期未按收费通知要求缴纳费用")),
    ("部分公开 部分予以公开 区分处理", _row("三", "partially_disclosed", "（二）部分公开")),
    ("不予公开 不公开 拒绝公开 不能公开 未予公开 没公开 没有公开 未公开 没给公开", _row("三", T3_GROUPS["withheld"], "（三）不予公开（八项合计）")),
    ("予以公开 同意公开 全部公开 予以了公开 准予公开 批准公开 同意了公开 给申请人公开 向申请人公开", _row("三", "disclosed", "（一）予以公开")),
    ("无法提供 不能提供 没法提供 无法给", _row("三", T3_GROUPS["unavailable"], "（四）无法提供（三项合计）")),
    ("不予处理 不处理 未予处理", _row("三", T3_GROUPS["not_processed"], "（五）不予处理（五项合计）")),
    ("其他处理", _row("三", "other", "（六）其他处理")),
    ("其他处理其他 其他处理中的其他 其他处理里的其他 其他处理的其他 其他处理中其他 其他处理里其他", _row("三", "other.other", "其他处理：其他")),
    ("结转下年度继续办理 结转下年度 结转下年 结转到下一年度 结转到下一年 结转到下年 结转至下年度 结转至下一年 结转至下年 转下年度 "
     "转下一年 转下年 转到下一年 转到下年 转入下一年 转入下年 转到明年 结转明年 下一年度继续办理 下年度继续办理 下一年继续办理 "
     "转入下一年度 转下一年度 转入下年度 继续办理 继续办 接着办 未办结 尚未办结 没办结 没办完 未办完 没有办完 还没办完 尚未办理完 留到下一年 跨年办理 "
     "拖到第二年 拖到下一年 拖到明年 挪到下一年 结转到下年度 结转至下年度 转到下年度 转入下年度 转到下一年度 "
     "结转到明年 结转至明年 结转到来年",
     _row("三", "carried_forward", "四、结转下年度继续办理")),
    ("结转到 结转至 转到", _row("三", "carried_forward", "四、结转下年度继续办理")),
    ("上年结转 去年结转 上一年结转 上年度结转 从上年结转 从去年结转 上年遗留 去年遗留 上年转来 结转 转过来 带过来 结转过来 "
     "留下来 遗留", _row("三", "carried_over",
                                                                                  "二、上年结转政府信息公开申请数量")),
    ("本年度办理结果总计 办理结果总计 办理结果", _row("三", "total", "三、本年度办理结果（七）总计")),
    ("办结 办理了 处理了 答复了 办理完 办完 作出答复 答复", _verb("三", "total", "三、本年度办理结果（七）总计")),
    ("本年新收政府信息公开申请数量 本年新收 新收 新申请", _row("三", "new_received", "一、本年新收政府信息公开申请数量")),
    ("收到 收了 接到 接收 受理 提出 提交 提 提的 提了 收 新收到", _verb("三", "new_received", "一、本年新收政府信息公开申请数量")),
    # the object of table 三: counted as 本年新收 only when nothing else is asked
    ("申请数量 申请数 申请量 申请总数 申请件数 申请总量 申请 申请件 政府信息公开申请 信息公开申请 公开申请 依申请公开申请 申请人 "
     "申请公开 申请信息公开", _HEAD),
    # --- table 三: columns ------------------------------------------------------------------------------------
    ("法人或其他组织 法人和其他组织 法人或者其他组织 法人 单位申请 组织申请 企业和组织 法人单位", _col("三", "legal_persons",
                                                                                "法人或其他组织")),
    ("自然人 个人 公民 群众 老百姓 市民 居民 普通人", _col("三", "natural_person", "自然人")),
    ("商业企业 企业 公司", _col("三", "commercial", "商业企业")),
    ("科研机构 研究机构 高校", _col("三", "research", "科研机构")),
    ("社会公益组织 公益组织", _col("三", "public_interest", "社会公益组织")),
    ("其他组织 其他类组织 其他类申请人 其他类型组织", _col("三", "other_org", "其他")),
    ("法律服务机构 律师事务所 律师 律所", _col("三", "legal_service", "法律服务机构")),
    # --- table 二 -------------------------------------------------------------------------------------------
    ("规章 政府规章", _t2("regulations", "规章")),
    ("行政规范性文件 规范性文件", _t2("normative_documents", "规范性文件")),
    ("行政许可 许可", _t2("licensing", "行政许可")),
    ("其他对外管理服务事项 对外管理服务事项 对外管理服务", _t2("other_services", "其他对外管理服务事项")),
    ("行政检查", _t2("other_services/行政检查", "其他对外管理服务事项·行政检查")),
    ("行政确认", _t2("other_services/行政确认", "其他对外管理服务事项·行政确认")),
    ("行政处罚 处罚", _t2("punishment", "行政处罚")),
    ("行政强制 强制", _t2("coercion", "行政强制")),
    ("行政事业性收费 事业性收费", _t2("fees", "行政事业性收费")),
    ("政府集中采购 集中采购 政府采购 采购 采购总金额 采购金额 采购项目数量 采购项目数 采购项目", _t2("procurement", "政府集中采购")),
    ("本年收费金额 收费金额", _t2("fees", "行政事业性收费")),
    ("采购总金额 采购金额 总金额 金额 多少钱 花了 花的钱 花钱 花费 资金 经费", _col("二", "amount", "采购总金额")),
    ("本年收费金额 收费金额 收费多少 收了多少钱 收费 金额 多少钱 总金额", _col("二", "fee_amount", "本年收费金额")),
    ("上一年项目数量 上一年项目 上年项目数量 上年项目 上一年 上年 去年 上一年度", _col("二", "previous_items", "上一年项目数量")),
    ("上一年 上年 去年 上一年度 前年 今年", _FILL),
    ("本年增减 本年增/减 增减 增/减 增加 减少 增 减 变动", _col("二", "change", "本年增/减")),
    ("本年新制作数量 新制作 制作", _col("二", "made", "本年新制作数量")),
    ("主动公开 主动公开的", _col("二", "published", "本年新公开数量")),
    ("本年新公开数量 新公开 公开", _col("二", "published", "本年新公开数量")),
    ("对外公开总数量 对外公开总数 公开总数 总数量 对外公开", _col("二", "total_public", "对外公开总数量")),
    ("本年制发件数 制发 印发 出台 发布 新制发 新发 新出台 新印发", _col("二", "issued", "本年制发件数")),
    ("本年废止件数 废止 废除", _col("二", "repealed", "本年废止件数")),
    ("现行有效件数 现行有效 有效 还有效 仍有效 仍然有效 现在有效 现在还有效 现行", _col("二", "in_force", "现行有效件数")),
    ("本年处理决定数量 处理决定数量 处理决定 作出决定 决定数量 决定 作出 做出 作出过 做过 做了 作了 做出了 作出了 处理了 办了",
     _col("二", "decisions", "处理决定数量")),
    ("采购项目数量 项目数量 项目数 项目", _col("二", "items", "采购项目数量")),
    ("项目数量 项目数 项目 几个项目 多少个项目", _col("二", "previous_items", "上一年项目数量")),
    # --- words that ask for a number ------------------------------------------------------------------------
    ("多少 多少件 多少个 多少项 多少条 多少次 多少宗 多少起 多少份 多少人 几 几件 几个 几项 几条 几次 几宗 几起 几份 "
     "几人 数量 数目 个数 件数 总数 总量 数字 合计数 是多少 有多少 共有多少 一共有多少 为多少 多大 多高", _COUNT),
    # --- words with no meaning of their own here ------------------------------------------------------------
    ("请问 请 麻烦 麻烦你 帮我 帮忙 帮我查 查一下 查查 查询一下 看看 看一下 告诉我 我想知道 想知道 我想了解 想了解 了解 了解一下 "
     "一下 问一下 问问 谢谢 谢了 你好 您好 你知道 知道 能否 可否 能不能 可以 是否能 "
     "政府信息公开 信息公开 政府信息 政务公开 依申请公开 依申请 公开工作 工作 年度报告 工作年度报告 年报 报告 报告里 报告中 "
     "表格 表格里 统计表 表里 表中 表三 表二 表四 第三张表 数据 统计 统计数据 情况 方面 全年 本年度 本年 当年 年度 这一年 那一年 "
     "当年度 全县 全市 全区 全镇 全乡 全街道 本机关 本单位 该机关 该单位 该局 我局 本局 机关 部门 单位里 "
     "件 个 项 条 次 宗 起 份 人次 案件 案 类 总计 共计 共 总共 一共 合计 加起来 合起来 总和 总的 总体 总 "
     "办理 处理 处理的 办理的 情形 结果 数 量 多 其中 中 里 里面 当中 之中 方面的 相关 有关 关于 对于 针对 "
     "是 有 为 的 了 吗 呢 吧 啊 呀 哦 嘛 么 在 和 与 及 以及 跟 同 或 或者 还有 加上 加 分别 各自 都 也 还 又 就 "
     "被 给 把 对 向 从 由 到 这 那 这个 那个 该 其 一共是 一共有 共有 到底 究竟 具体 大概 一些 些 "
     "那边 这边 那里 这里 有人 没有人 有没有人 因为 由于 因 属于 而 才 所以 那一类 这一类 一类 类的 那类 这类 不再处理 "
     "加在一起 加一起 加到一起 合在一起 法院 案子 案子里 后来 万元 元 有没有 是不是 过没有 吗有 "
     "在内 含 包括 左右 截至 截止 截止到 为止 年底 年末 涉及 涉 关于的 以 按 按照 等 原 原来 少 行政机关 终止处理 被终止处理 终止 引发 引起 产生 导致 危及 "
     "区分处理后 后 挪到 拖到 留到 不算全区汇总报告 不算全区汇总 不算全区 不含全区报告 不含全区 不含全区汇总 已收录的 收录的 已收录 收录 "
     "是谁 哪位 来自 来源于 来源 收取 收取了 这一项 这项 一项 该项 此项", _FILL),
)

# characters that never carry a question's meaning on their own (left over between covered words)
CHAR_FILLERS = frozenset("的了吗呢吧啊呀哦嘛么是有在和与及跟同或被给把对向从由到这那该其也都还又就之以于为共各每所做作搞办弄来去过要再已曾让叫后")
COUNT_WORDS = re.compile(r"多少|(?<!哪)几(?![乎])|数量|数目|个数|件数|总数|总量|多大")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[Sense, ...]]:
    table: dict[str, list[Sense]] = {}
    for words, sense in _ENTRIES:
        for word in words.split():
            if sense not in table.setdefault(word, []):
                table[word].append(sense)
    return {word: tuple(found) for word, found in table.items()}


TERMS = _table


def senses(word: str) -> tuple[Sense, ...]:
    return _table().get(word, ())


def words_for(table: str, rows: tuple[str, ...] = (), column: str | None = None) -> frozenset[str]:
    """The words of two characters or more that name any of ``rows`` (or the group they make up) or ``column``
    of ``table``: what a sentence about those cells would say (同意公开 for 予以公开, 个人 for 自然人)."""
    wanted = set(rows)
    found = set()
    for word, senses_ in _table().items():
        if len(word) < 2:
            continue
        for s in senses_:
            if s.table == table and (s.kind in ("row", "t2row") and set(s.rows) & wanted
                                     or s.kind == "column" and column and s.key == column):
                found.add(word)
    return frozenset(found)


def synonyms(word: str) -> frozenset[str]:
    """The other words of two characters or more that name the same row as ``word`` (收到: 受理, 新收, 接到 …);
    empty for a word that names no row."""
    rows = {(s.table, s.key) for s in senses(word) if s.kind in ("row", "t2row")}
    return frozenset(w for w, found in _table().items() if len(w) >= 2 and w != word
                     and any((s.table, s.key) in rows for s in found if s.kind in ("row", "t2row"))) if rows else frozenset()


@lru_cache(maxsize=1)
def _max_len() -> int:
    return max(len(w) for w in _table())


def segment(text: str, taken: list[bool], patterns=()) -> list[tuple[int, int, str | None]]:
    """Lexicon words, and matches of ``patterns`` (words understood elsewhere: operations, scope, years), over the
    characters of ``text`` not yet ``taken`` (which it marks): the segmentation that covers the most characters,
    then with the fewest pieces (政府采购|项目数, not 政府|采购项目数; 全部公开, not 全部|公开). A piece matched by
    a pattern comes back with word None."""
    table = _table()
    longest = _max_len()
    n = len(text)
    starting: list[list[tuple[int, str | None]]] = [[] for _ in range(n)]
    for i in range(n):
        if taken[i]:
            continue
        for length in range(1, min(longest, n - i) + 1):
            if text[i:i + length] in table:
                starting[i].append((i + length, text[i:i + length]))
        for pattern in patterns:  # every length a pattern matches at i, not only its first alternative's (and
            if found := pattern.match(text, i):  # the match itself, whose lookahead reads on past its end)
                ends = {j for j in range(i + 1, min(n, i + 14) + 1) if pattern.fullmatch(text, i, j)}
                starting[i] += [(j, None) for j in sorted(ends | {found.end()}) if j > i]
    best: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    choice: list[tuple[int, str | None] | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i], choice[i] = best[i + 1], None
        for end, word in starting[i]:
            if any(taken[i:end]):
                continue
            covered, pieces = best[end]
            candidate = (covered + end - i, pieces - 1)
            if candidate > best[i]:
                best[i], choice[i] = candidate, (end, word)
    found = []
    i = 0
    while i < n:
        if choice[i] is None:
            i += 1
            continue
        end, word = choice[i]
        found.append((i, end, word))
        for k in range(i, end):
            taken[k] = True
        i = end
    return found
