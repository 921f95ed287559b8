"""Every sentence the answering core says, in one place, so the wording is reviewed together."""
from __future__ import annotations

__all__ = ["W"]


class W:
    HELP = ("我可以回答政府信息公开工作年度报告里的问题，例如：\n"
            "· 数字：“桥头胡2020年收到多少申请”“王家街道2019年政府集中采购总金额”\n"
            "· 汇总：“2019年哪个街道收到的申请最多”“2020年各街道一共收到多少申请”\n"
            "· 文字：“东柳街道有哪些改进措施”“柴桥街道的微信公众号叫什么”")
    OUT_OF_SCOPE = "这个问题不在年度报告的范围内。" + "\n" + HELP
    EMPTY = "请输入一个问题。" + "\n" + HELP
    NO_BODY = "没有找到{body}的年度报告。已收录的机关：{known}。"
    PLACE_STATED = "按库中的{body}回答：报告的名称里没有地名，正文写到了“{place}”。"
    PLACE_NOT_STATED = ("库中{body}的报告没有写到{place}，无法确定是不是您问的那个{body}；"
                        "如果就是它，请不写地名再问一次。")
    NO_SUM = "这几项不是可以相加的同类数字（例如新收的申请与办理结果，申请与复议案件），没有给出合计。"
    SUGGEST = "您是不是要问“{body}”？"
    NO_YEAR = "没有找到{body}{year}年的年度报告（已收录：{years}）。"
    CHECK_NO_YEAR = "库中没有 {year} 年的年度报告。"
    NO_REPORTS = "库里还没有任何年度报告；请先运行 python -m ingest。"
    OLD_STORE = "数据库 {path} 是旧版本的格式；运行 python -m ingest 即可从报告文件重建（旧库会另存备份）。"
    SPAN_READ = "按库中这段时间的报告回答：{years}。"
    NEWEST_YEAR = "问题没有指明年份，按{body}最新的 {year} 年报告回答。"
    LATEST_YEAR_ALL = "问题没有指明年份，按库中最新的 {year} 年报告汇总。"
    FUZZY = "按“{body}”理解（问题里的名称与它不完全相同）。"
    FOLLOW_UP = ("我不会记住上一个问题，每个问题请写完整：机关、年份和要问的内容，例如“{example}”。"
                 "同一条消息里接着问的几个问题（收到多少申请？予以公开几件？）会按第一个问题的机关和年份回答。")
    TRUNCATED = "消息超过 {n} 个字，只读了其中的问题：“{question}”。"

    # follow-up questions in a conversation (index.followup): what a question took from the one before
    CARRIED = "按上一问：{parts}"
    CARRIED_YEAR_BEFORE = "{year}年与{before}年相比"
    CARRIED_HOW = {"max": "最多", "min": "最少", "rank": "排名", "rank_min": "最少的几个", "nth": "第{top}多",
                   "nth_min": "倒数第{top}", "compare": "对比", "sum": "合计", "trend": "历年", "difference": "相差多少"}
    CARRIED_BY_YEAR = "哪一年{how}"
    CARRIED_COLUMN = "{column}提出的{measure}"
    FOLLOW_UP_FIRST = ("还没有可以接着问的上一个问题（对话刚开始，或已重新开始）。请把问题写完整：机关、年份和要问的内容，"
                       "例如“{example}”。")
    FOLLOW_UP_NO_COLUMN = "上一问问的是“{measure}”，它没有“{words}”这一栏，无法接着回答；请把问题写完整，例如“{example}”。"
    FOLLOW_UP_NOT_NUMBER = ("上一问问的是报告里的文字，不是表格里的数字，“{question}”无法接着它回答；请把问题写完整，"
                            "例如“{example}”。")
    FOLLOW_UP_NO_YEAR = "上一问没有落到某一年的报告上，不知道和哪一年相比；请写明年份，例如“{example}”。"
    FOLLOW_UP_WHICH = ("“{question}”接着上一问，可以是问哪一年最多，也可以是问哪个机关最多；请写完整，"
                       "例如“{example}”。")

    VALUE = "{body}{year}年{subject}{value}{source}。"
    OTHER_FORMAT_COLUMN = "这份报告的表二没有“{asked}”一栏，读的是对应的“{read}”一栏。"
    VALUE_FROM_COLUMNS = ("{body}{year}年{subject}{value}{source}。报告的总计一栏未填写，此数是自然人和五类法人或其他组织"
                          "六列之和（六列都已填写）。")
    VALUE_BLANK = "{body}{year}年报告中{subject}一栏未填写（空白），无法给出数字{source}。"
    VALUE_UNKNOWN = "{body}{year}年报告中{subject}的数值无法确定{source}：{why}。"
    SHARE = "{body}{year}年{part_subject}{part}，占{whole_subject}{whole}的{percent}%。"
    SHARE_COMPUTED = "这个比例是用{part_where}除以{whole_where}算出的，报告正文里没有找到写明它的句子。"
    SHARE_READ = "计算所用的数：{text}"
    SHARE_STATED = "报告正文也写到：“{sentence}”"
    NEGATED = "年度报告的表格逐项统计，没有“{words}”这一项，这里不替您推算。"
    NEGATED_CELLS = "表中相关的数：{cells}"
    SHARE_NO_WHOLE = "年度报告的表格里这一项没有可以对照的合计，无法算出比例；表中的数是：{value}"
    SHARE_UNKNOWN = "无法算出比例：{part}{whole}"
    SHARE_ZERO = "无法算出比例：{whole}"
    SHARE_ONE_REPORT = "比例按一份报告计算：请写明一个机关和一个年份，例如“{example}”。"
    VALUE_MISSING_ROW = "{body}{year}年报告的表{table}里没有“{label}”这一项。"
    VALUE_TABLE_MISSING = "{body}{year}年的报告未包含表{table}的数据（报告文本里没有这张表，可能被截去或是图片），无法给出数字。"
    VALUE_TABLE_CUT = "{body}{year}年的报告表{table}不完整（文本在表中截断），这一行不在本报告中，无法给出数字。"
    SUM_NOTE = "（其中{parts}）。"
    BLANK_PARTS = "其中 {n} 项未填写，按 0 计。"
    CARRIED_OVER = "另有上年结转 {n} 件（不计入本年新收）。"
    UNIT_UNSTATED = "报告未注明单位"
    FINDING = "注意：该报告此处勾稽关系不一致（原文如此）：{message}"
    ANSWERED_ROW = "“收到多少申请”按表三第一行“本年新收”回答。"

    AGG_SUM = "{year}年{scope}{label}合计{value}（{n}份报告）：{parts}。"
    SUM_YEARS_MISSING = "库中没有{years}的报告，问到的几年合计得不出；已收录的几年是："
    AGG_SUM_YEARS = "{body}{first}—{last}年{label}合计{value}（{n}年的报告）：{parts}。"
    AGG_MAX = "{year}年{scope}{label}最多的是{body}，{value}。各{unit_scope}：{parts}。"
    AGG_MAX_YEAR = "{body}{label}最多的一年是{year}年，{value}。各年：{parts}。"
    AGG_MIN_YEAR = "{body}{label}最少的一年是{year}年，{value}。各年：{parts}。"
    AGG_MIN = "{year}年{scope}{label}最少的是{body}，{value}。各{unit_scope}：{parts}。"
    AGG_NTH = "{year}年{scope}{label}第{n}多的是{body}，{value}。排名：{parts}。"
    AGG_NTH_MIN = "{year}年{scope}{label}倒数第{n}的是{body}，{value}。从少到多：{parts}。"
    AGG_TOO_FEW = "{year}年{scope}{label}只有{count}份报告可以排名，没有第{n}名。"
    AGG_RANK_MIN = "{year}年{scope}{label}最少的几个（从少到多）：{parts}。"
    AGG_RANK = "{year}年{scope}{label}排名（从多到少）：{parts}。"
    AGG_COMPARE = "{label}对比：{parts}。"
    AGG_TREND = "{body}{label}历年情况：{parts}。"
    AGG_UNKNOWN_PARTS = ("{year}年{scope}{label}的{what}无法得出：{n}份报告的这一项数值无法确定或表格不全（{names}），"
                         "它们可能改变结果。能读出的：{parts}。")
    AGG_SKIPPED = "未计入（未填写或无法确定）：{names}。"
    CHART_GAP = {"blank": "未填写", "unknown": "无法确定", "missing": "报告中没有"}  # a year on a chart with no point
    CHART_NOT_HELD = "未收录"  # a year between two drawn of which no report is held
    AGG_RANK_CONTRADICTED = ("{year}年{scope}{label}{what}无法得出：{names}的报告中这一行的数字自相矛盾（见下方提示），"
                             "它可能改变结果。各报告原文的数字：{parts}。")
    AGG_SUM_CONTRADICTED = ("{year}{scope}{label}的合计不能确定：{names}的报告中这一行的数字自相矛盾（见下方提示）。"
                            "各报告原文的数字：{parts}（照原文相加为{value}）。")
    DIFFERENCE_WITHIN = "前者比后者{more}{value}{unit}。"
    SAME_WITHIN = "两者相同。"
    AGG_NO_DIFFERENCE = "能相比的数字不是恰好两个（或单位不同），算不出相差多少。"
    AGG_ONE_YEAR_ONLY = "只读到这一年的数字（另一年见下方提示），算不出相差多少。"
    AGG_DIFFERENCE = "{first}比{second}{more} {value}。"
    AGG_SAME = "{first}与{second}相同。"
    AGG_COLUMNS_READ = "表二的两种格式列名不同，各报告读的是对应的列：{parts}。"
    AGG_NO_SCOPE = "库中没有{scope}的年度报告。"
    AGG_NOTHING_HELD = "没有找到{year}年{scope}的年度报告（库中{scope}报告的年份：{years}）。"
    AGG_NONE = "没有找到可以汇总的{year}年报告数据。"
    AGG_NONE_NAMED = "问到的机关在这一年都没有报告，无法比较或汇总（见下方说明）。"
    AGG_UNIT_UNSTATED = "这些报告没有注明金额单位，未参与汇总或比较：{parts}。"
    AGG_NO_UNITS = "{year}年各报告的{label}都没有注明单位（元还是万元），无法相加或比较；各报告的数值见出处。"

    NARRATIVE_HEAD = "{body}{year}年报告《{title}》中的相关内容："
    NARRATIVE_MULTI = "各报告中的相关内容："
    QUOTE = "【{section}】\n{text}"
    NUMBER_IN_TEXT = "报告原文：“{sentence}”"
    STATED_IN_TEXT = "\n报告正文写到：“{sentence}”"
    NOTHING_FOUND = "在{scope}的报告里没有找到与问题相关的内容。"
    NUMBER_NOT_STATED = ("{scope}的报告没有写到“{topic}”的数字：年度报告的表格只统计政府信息公开工作"
                         "（主动公开、收到和处理申请、行政复议和诉讼），正文里也没有找到这个数。")
    DENSE_OFF = "向量检索未启用，只用关键词检索。"
    DENSE_OTHER_STORE = "向量索引是另一个数据库的（正在重建？），暂时只用关键词索引（BM25）回答。"
    ENGLISH = ("请用中文提问（报告是中文的）。Please ask in Chinese: the reports are in Chinese. 例如 e.g. "
               "“桥头胡街道2020年收到多少申请”（How many requests did 桥头胡街道 receive in 2020?）")
    SEVERAL_SUM = "以上合计 {value} {unit}。"
    NOT_WRITTEN = "{scope}的报告里没有写到“{topic}”。"
    AGG_PLACE_AND_BODIES = "{places}的报告是全区（全市、全县）的汇总，可能已包含下属单位的数字，与它们相加会重复计算。"
    AGG_IN_WAN = "（各报告的金额单位不同，按万元折算后相加：1 元 = 0.0001 万元。）"
    AGG_LIST = ("问题没有指明机关。{year}年{scope}{label}：{parts}。请指明机关，或用“各…一共”“哪个…最多”问汇总。")
