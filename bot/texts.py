"""Every user-facing sentence of the bot and the console, in one module for review."""
from __future__ import annotations

from index.wording import W

__all__ = ["T", "EXAMPLES", "COMMANDS"]

EXAMPLES = (
    "桥头胡2020年收到多少申请",
    "东柳街道有哪些改进措施",
    "2019年哪个街道收到的政府信息公开申请最多",
)

COMMANDS = (
    ("start", "开始使用，看示例问题"),
    ("help", "能问什么、有哪些命令"),
    ("reports", "已收录的报告（机关和年度）"),
    ("check", "一致性概览：/check；一个机关的勾稽问题：/check 机关；一份报告的体检单：/check 机关 年度"),
    ("export", "导出统计表单元格为 CSV 和 Excel：/export [机关] [年度]"),
    ("new", "开始新话题：忘掉上一问（“那2020年呢？”这类追问沿用上一问）"),
    ("reindex", "（管理员）从报告文件夹重建全部索引"),
)


class T:
    START = ("你好！我是年报问答助手，回答政府信息公开工作年度报告里的问题，每个回答都注明出处。\n"
             "直接输入问题即可，或者点下面的示例：")
    HELP = (W.HELP + "\n\n命令：\n" + "\n".join(f"/{name} — {text}" for name, text in COMMANDS)
            + "\n\n管理员可以直接发送报告文件（.txt .md .html .htm .docx .pdf）来添加或更新报告。")
    CONSOLE_INTRO = ("年报问答（控制台模式：没有设置 TELEGRAM_BOT_TOKEN）。输入问题后回车，可以接着追问"
                     "（“那2019年呢？”）；/new 重新开始，/reports 看已收录报告，/check 看一致性概览，/help 看说明，"
                     "exit 退出。\n示例：")
    CONSOLE_BYE = "再见。"
    PROMPT = "问> "
    NON_TEXT = "我只能回答文字问题。请直接输入问题，例如：“桥头胡2020年收到多少申请”。管理员可以发送报告文件。"
    SOURCE_BUTTON = "查看原文出处"
    SUGGEST_BUTTON = "问“{body}”"
    SOURCE_GONE = "这条回答的出处已过期，请重新提问。"
    SOURCE_HEAD = "出处原文："
    SORRY = "抱歉，处理时出了点问题，请稍后再试。"
    RATE_LIMITED = "提问太频繁了，请 {seconds} 秒后再试。"
    NO_REPORTS = "还没有收录任何报告。"
    REPORTS_HEAD = "已收录 {n} 份报告："
    REPORT_LINE = "· {body}：{years}"
    CHECK_NONE = "{scope}：没有发现勾稽关系问题。"
    CHECK_HEAD = "勾稽关系检查（报告原文如此，本工具不做更正），共 {n} 条："
    CHECK_MORE = "……另有 {n} 条，请缩小范围：/check 机关 年度"
    CHECK_SHEET_HINT = "看一份报告的体检单：/check 机关 年度"
    EXPORT_DONE = ("已导出 {reports} 份报告的 {rows} 个单元格：CSV 和 Excel 各一份，每个单元格一行，注明读取方式"
                   "（空白、无法确定的单元格数值留空，不是 0）。")
    EXPORT_EMPTY = "这个范围里没有可导出的单元格。"
    EXPORT_TOO_MANY = ("这个范围有 {rows:,} 个单元格，超过聊天里一次导出的上限 {limit:,}；请写明机关或年度缩小范围"
                       "（/export 机关 年度），或在服务器上运行 python -m index export。")
    NEW_TOPIC = "好的，下一个问题重新开始（不再沿用上一问）。"
    EXPORT_CONSOLE = ("控制台里导出请用命令行：python -m index export [--body 机关] [--year 年度] -o 文件.xlsx"
                      "（或 .csv、.json；见 python -m index export --help）。")

    NOT_ADMIN = "抱歉，只有管理员可以添加报告或重建索引。"
    UNSUPPORTED = "不支持这种文件（{name}）。支持 .txt .md .html .htm .docx .pdf。"
    TOO_BIG = "文件太大（{size} MB），无法通过 Telegram 下载；上限 {limit} MB（自建 Bot API 服务器可以放宽）。"
    UPLOAD_RECEIVED = "已收到 {name}，正在下载……"
    UPLOAD_PARSING = "正在解析和入库 {name}……"
    UPLOAD_INDEXING = "已入库，正在更新向量索引……"
    UPLOAD_DONE = ("✓ {name} 已加入：{body} {year}年（{format}版格式），{cells} 个单元格，{passages} 段文本，"
                   "{findings} 条勾稽问题。现在可以提问了。")
    UPLOAD_REPLACED = "（替换了同一机关同一年度的旧报告 {old}）"
    UPLOAD_UNCHANGED = "{name} 与已收录的文件完全相同，没有变化。"
    UPLOAD_FAILED = "✗ 没有加入：{error}\n已有的报告和回答不受影响。"
    UPLOAD_BUSY = "正在处理另一个上传或重建，请稍候再发。"
    REINDEX_START = "开始从报告文件夹重建全部索引（共 {n} 个文件）。重建期间照常回答问题。"
    REINDEX_PROGRESS = "重建中：{done}/{total}……"
    REINDEX_DONE = ("✓ 重建完成：{reports} 份报告、{cells} 个单元格、{passages} 段文本；失败 {failed} 个文件。"
                    "新索引已启用。")
    REINDEX_FAILED_FILES = "失败的文件：\n{lines}"
    REINDEX_EMPTY = "报告文件夹 {folder} 里没有报告文件，索引未改动。"
    INDEX_NOTE = "向量索引：{line}"
