"""End to end for journalists and oversight offices: a trend or ranking comes as a chart with the answer as its
caption, /export sends a CSV and an XLSX, /new forgets the question before (issue 12)."""
from __future__ import annotations

import csv
import io

import openpyxl

from bot.texts import T

from .conftest import ADMIN, QIAOTOUHU_FILE, USER
from .test_e2e import upload
from tests.conftest import SAMPLES

PNG = b"\x89PNG\r\n\x1a\n"


def qiaotouhu_2021() -> bytes:
    """桥头胡街道's 2020 report written again as its 2021 report, with 25 applications received (18 → 25) and 14
    carried over (7 → 14), so its own table still adds up."""
    text = next(p for p in SAMPLES if p.name == QIAOTOUHU_FILE).read_text(encoding="utf-8")
    assert text.count("\t18\n") == 2 and text.count("\t7\n") == 2
    return text.replace("2020", "2021").replace("\t18\n", "\t25\n").replace("\t7\n", "\t14\n").encode("utf-8")


async def _photo(bot, user_id: int, since: int) -> dict:
    return (await bot.api.wait_for(lambda: bot.api.files("sendPhoto", chat_id=user_id, since=since),
                                   what="a chart"))[0]


async def test_a_trend_question_gets_a_line_chart_with_the_answer_as_its_caption(bot):
    await upload(bot, ADMIN, "桥头胡街道2021年报.txt", qiaotouhu_2021(), final="已加入")
    since = bot.api.mark()
    bot.api.send_text(USER, "桥头胡街道历年收到多少申请")
    photo = await _photo(bot, USER, since)
    assert photo["photo"].startswith(PNG) and len(photo["photo"]) > 10_000
    assert "2020年 18件" in photo["caption"] and "2021年 25件" in photo["caption"]
    assert photo["parse_mode"] == "HTML" and "出处" in photo["caption"]
    assert photo["reply_markup"]["inline_keyboard"][0][0]["text"] == T.SOURCE_BUTTON
    assert not bot.api.messages(USER, since=since)  # the caption is the answer: no second message


async def test_a_ranking_gets_a_bar_chart(bot):
    since = bot.api.mark()
    bot.api.send_text(USER, "2020年各街道收到申请排名")
    photo = await _photo(bot, USER, since)
    assert photo["photo"].startswith(PNG)
    assert "1. 桥头胡街道 18件" in photo["caption"] and "2. 东柳街道 0件" in photo["caption"]


async def test_one_number_comes_as_text_without_a_chart(bot):
    since = bot.api.mark()
    answer = await bot.ask(USER, "桥头胡2020年收到多少申请", contains="桥头胡街道")
    assert "18件" in answer["text"]
    assert not bot.api.files("sendPhoto", since=since)


async def _documents(bot, user_id: int, since: int, n: int) -> list[dict]:
    def sent():
        found = bot.api.files("sendDocument", chat_id=user_id, since=since)
        return found if len(found) >= n else None

    return await bot.api.wait_for(sent, what=f"{n} documents")


async def test_export_sends_a_csv_and_an_xlsx_with_every_cell(bot):
    since = bot.api.mark()
    bot.api.send_command(USER, "export")
    csv_file, xlsx_file = await _documents(bot, USER, since, 2)
    assert csv_file["document_filename"].endswith(".csv") and xlsx_file["document_filename"].endswith(".xlsx")
    rows = list(csv.DictReader(io.StringIO(csv_file["document"].decode("utf-8-sig"))))
    assert {row["机关"] for row in rows} == {"东柳街道", "桥头胡街道", "左家庄街道", "柴桥街道", "王家街道"}
    received = {row["机关"]: row["数值"] for row in rows if row["行键"] == "new_received" and row["列键"] == "total"}
    assert received["桥头胡街道"] == "18" and received["东柳街道"] == "0"  # gold S18, README

    book = openpyxl.load_workbook(io.BytesIO(xlsx_file["document"]), read_only=True)
    assert book.sheetnames == ["表二", "表三", "表四"]
    sheet = book["表三"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    values = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len([r for r in rows if r["表"] == "三"]) == len(values)  # the same cells in both files
    assert any(v["机关"] == "桥头胡街道" and v["行键"] == "new_received" and v["列键"] == "total" and v["数值"] == 18
               for v in values)
    summary = await bot.api.wait_message(USER, contains="已导出", since=since)
    assert "5 份报告" in summary["text"]


async def test_export_of_one_body_and_year_and_of_a_body_not_held(bot):
    since = bot.api.mark()
    bot.api.send_command(USER, "export", "桥头胡", "2020")
    csv_file, _ = await _documents(bot, USER, since, 2)
    rows = list(csv.DictReader(io.StringIO(csv_file["document"].decode("utf-8-sig"))))
    assert {(row["机关"], row["年度"]) for row in rows} == {("桥头胡街道", "2020")}
    assert "1 份报告" in (await bot.api.wait_message(USER, contains="已导出", since=since))["text"]

    since = bot.api.mark()
    bot.api.send_command(USER, "export", "西柳街道")
    text = (await bot.api.wait_message(USER, since=since))["text"]
    assert text.startswith("没有找到“西柳街道”的年度报告。")
    assert not bot.api.files("sendDocument", since=since)


async def test_a_follow_up_takes_the_measure_and_year_of_the_question_before_per_user(bot):
    """Gold S18/README and the samples: 2020 new requests, 桥头胡街道 18 and 东柳街道 0."""
    first = await bot.ask(USER, "桥头胡2020年收到多少申请", contains="桥头胡街道")
    assert "18件" in first["text"]
    follow = await bot.ask(USER, "那东柳街道呢？", contains="东柳街道")
    assert follow["text"].startswith("<i>（按上一问：") and "2020年" in follow["text"].split("\n")[0]
    assert "东柳街道2020年" in follow["text"] and "0件" in follow["text"]

    other = await bot.ask(ADMIN, "那东柳街道呢？")  # another user has no question before
    assert "按上一问" not in other["text"] and "0件" not in other["text"]

    since = bot.api.mark()
    bot.api.send_command(USER, "new")
    assert (await bot.api.wait_message(USER, since=since))["text"] == T.NEW_TOPIC
    again = await bot.ask(USER, "那东柳街道呢？")
    assert "按上一问" not in again["text"] and "0件" not in again["text"]


async def test_that_year_after_a_number_is_the_same_measure_and_body(bot):
    """那2020年呢？ after 桥头胡街道's 2021 number (the derived report above: 25) is its 2020 number, 18."""
    await upload(bot, ADMIN, "桥头胡街道2021年报.txt", qiaotouhu_2021(), final="已加入")
    first = await bot.ask(USER, "桥头胡街道2021年收到多少申请", contains="桥头胡街道")
    assert "25件" in first["text"]
    follow = await bot.ask(USER, "那2020年呢？", contains="2020年")
    assert "按上一问：桥头胡街道" in follow["text"] and "18件" in follow["text"], follow["text"]
