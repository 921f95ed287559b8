"""Body names: aliases, exact matching (longest first, ambiguous aliases skipped), the one-character fallback, and
names that the store does not hold."""
from __future__ import annotations

import pytest

from index.gazetteer import Gazetteer, aliases_of, unknown_mention


def test_aliases_of_a_street():
    aliases = aliases_of("桥头胡街道", "桥头胡街道")
    assert {"桥头胡", "桥头胡街道", "桥头胡街道办事处", "桥头胡街道办"} <= aliases


def test_aliases_of_a_full_name_with_an_office_suffix():
    aliases = aliases_of("王家街道", "重庆市渝北区人民政府王家街道办事处")
    assert {"王家", "王家街道", "王家街道办事处", "重庆市渝北区政府王家街道办事处"} <= aliases


def test_aliases_abbreviate_bureau_names_but_keep_out_generic_words():
    aliases = aliases_of("沭阳县发展和改革局", "沭阳县发展和改革局")
    assert "沭阳县发改局" in aliases
    assert not aliases & {"政府", "街道", "发改局"}


def test_store_bodies(gazetteer):
    assert gazetteer.bodies == {"东柳街道", "左家庄街道", "柴桥街道", "桥头胡街道", "王家街道"}


def test_match_takes_the_longest_alias(gazetteer):
    text = "左家庄街道办事处2019年收到多少申请"
    assert gazetteer.match(text) == [(0, 8, "左家庄街道")]


def test_match_finds_each_body_once_per_mention(gazetteer):
    found = gazetteer.match("柴桥和王家街道对比")
    assert [(text_slice, body) for text_slice, body in
            (("柴桥和王家街道对比"[s:e], b) for s, e, b in found)] == [("柴桥", "柴桥街道"), ("王家街道", "王家街道")]


def test_an_alias_shared_by_two_bodies_is_skipped():
    gazetteer = Gazetteer([("王家街道", "王家街道办事处"), ("王家镇", "王家镇人民政府")])
    assert gazetteer.match("王家2019年收到多少申请") == []
    assert [body for _, _, body in gazetteer.match("王家镇2019年收到多少申请")] == ["王家镇"]


def test_fuzzy_match_of_one_character_slip():
    gazetteer = Gazetteer([("沭阳县发展和改革局", "沭阳县发展和改革局")])
    assert [body for _, _, body in gazetteer.match_fuzzy("沐阳县发展和改革局2023年收到多少申请")] == ["沭阳县发展和改革局"]


def test_fuzzy_match_of_a_street(gazetteer):
    assert [body for _, _, body in gazetteer.match_fuzzy("桥头湖街道2020年收到多少申请")] == ["桥头胡街道"]


def test_fuzzy_match_leaves_two_slips_alone(gazetteer):
    assert gazetteer.match_fuzzy("乔头湖街道2020年收到多少申请") == []
    assert gazetteer.match_fuzzy("今天天气怎么样") == []


def test_empty_gazetteer_matches_nothing():
    empty = Gazetteer([])
    assert empty.match("桥头胡2020年收到多少申请") == []
    assert empty.match_fuzzy("桥头胡街道2020年") == []


def test_unknown_mention(gazetteer):
    assert unknown_mention("朝阳门街道2020年收到多少申请", gazetteer) == "朝阳门街道"


@pytest.mark.parametrize("question", [
    "2020年各街道一共收到多少申请",
    "桥头胡街道2020年收到多少申请",
    "2019年哪个街道收到的政府信息公开申请最多",
    "2019年哪个街道收到的申请最多",
    "2019年哪个街道收到申请最少",
    "2019年哪些街道收到了申请",
])
def test_no_unknown_mention(gazetteer, question):
    """Words such as 各街道 and 哪个街道 name no body; a held body is not unknown."""
    assert unknown_mention(question, gazetteer) is None


def test_a_town_below_a_county_answers_to_its_own_name_unless_two_counties_share_it():
    gazetteer = Gazetteer([("临江县青山镇", "临江县青山镇人民政府"), ("甲县城关镇", "甲县城关镇人民政府"),
                           ("乙县城关镇", "乙县城关镇人民政府")])
    assert [body for _, _, body in gazetteer.match("青山镇2021年收到多少申请")] == ["临江县青山镇"]
    assert gazetteer.match("城关镇2021年收到多少申请") == []  # two 城关镇: the county has to be said
    assert [body for _, _, body in gazetteer.match("乙县城关镇2021年收到多少申请")] == ["乙县城关镇"]


@pytest.mark.parametrize("question", ["宿迁发展和改革局2023年收到多少申请", "北京政府办公厅2025年收到多少申请",
                                      "恩施州发展和改革局2023年收到多少申请"])
def test_another_place_written_without_or_with_an_uncommon_level(question):
    gazetteer = Gazetteer([("沭阳县发展和改革局", "沭阳县发展和改革局"), ("上海市人民政府办公厅", "上海市人民政府办公厅")])
    found, others = gazetteer.match_detail(question)
    assert found == [] and others


def test_a_name_with_characters_left_out_is_the_one_held_body_it_abbreviates():
    gazetteer = Gazetteer([("平潭综合实验区自然资源与生态环境局", "平潭综合实验区自然资源与生态环境局"),
                           ("平潭综合实验区综合执法与应急管理局", "平潭综合实验区综合执法与应急管理局"),
                           ("平潭综合实验区国有资产管理局", "平潭综合实验区国有资产管理局"),
                           ("莆田市城市管理局", "莆田市城市管理局"), ("莆田市应急管理局", "莆田市应急管理局")])
    assert gazetteer.abbreviated("平潭资源生态局") == "平潭综合实验区自然资源与生态环境局"
    assert gazetteer.abbreviated("平潭应急局") == "平潭综合实验区综合执法与应急管理局"
    assert gazetteer.abbreviated("平潭交通局") is None  # no held name has its characters
    assert gazetteer.abbreviated("莆田市管理局") is None  # two held names do
    assert gazetteer.abbreviated("平潭资源生态委") is None  # the kind of body (局, 委) is kept
    assert gazetteer.abbreviated("福州资源生态局") is None  # another place
    assert gazetteer.abbreviated("资源生态局") is None  # without its place, a name is not guessed
    assert gazetteer.abbreviated("平潭公安") is None  # no held 公安局 here
    assert gazetteer.abbreviated("莆田市城市") == "莆田市城市管理局"  # its opening words alone
    assert gazetteer.abbreviated("莆田市管理局") is None and gazetteer.abbreviated("莆田市局") is None  # only the kind


def test_a_body_without_a_place_in_its_name_is_not_abbreviated():
    gazetteer = Gazetteer([("桥头胡街道", "桥头胡街道"), ("上海市人民政府办公厅", "上海市人民政府办公厅")])
    assert gazetteer.abbreviated("桥头街道") is None  # a street's own name keeps every character
    assert gazetteer.abbreviated("上海市办公厅") is None  # 办公厅 alone could be any office of 上海市


def test_a_year_written_against_a_short_name_is_no_slip_of_it():
    from index.question import parse_question

    gazetteer = Gazetteer([("平潭综合实验区公安局", "平潭综合实验区公安局"), ("平潭综合实验区", "平潭综合实验区")])
    query = parse_question("平潭公安2022年收到多少申请", gazetteer)  # 平潭公安|2: not a slip of 平潭公安局
    assert query.years == (2022,) and query.bodies == ("平潭综合实验区公安局",)


def test_an_abbreviation_is_read_whole_in_a_question():
    from index.question import parse_question

    gazetteer = Gazetteer([("莆田市民族与宗教事务局", "莆田市民族与宗教事务局"), ("莆田市应急管理局", "莆田市应急管理局")])
    query = parse_question("莆田民族宗教局2022年收到多少信息公开申请", gazetteer)  # 宗 alone is a counting word
    assert query.bodies == ("莆田市民族与宗教事务局",) and not query.leftover and query.fuzzy


def test_a_place_compared_with_one_of_its_bodies_is_its_own_body():
    from index.question import parse_question

    gazetteer = Gazetteer([("平潭综合实验区公安局", "平潭综合实验区公安局"), ("平潭综合实验区", "平潭综合实验区")])
    query = parse_question("平潭2024年比平潭公安局2024年多收几件申请", gazetteer)
    assert set(query.bodies) == {"平潭综合实验区", "平潭综合实验区公安局"}
    query = parse_question("平潭公安局2024年收到多少申请", gazetteer)  # 平潭 here is the bureau's place
    assert query.bodies == ("平潭综合实验区公安局",)


def test_a_name_typed_to_check_is_a_body_a_place_or_an_abbreviation():
    gazetteer = Gazetteer([("平潭综合实验区", "平潭综合实验区"), ("平潭综合实验区公安局", "平潭综合实验区公安局"),
                           ("平潭综合实验区自然资源与生态环境局", "平潭综合实验区自然资源与生态环境局"),
                           ("淮安市人民政府", "淮安市人民政府"), ("淮安市洪泽区人民政府", "洪泽区人民政府")])
    assert gazetteer.named("平潭") == ["平潭综合实验区", "平潭综合实验区公安局", "平潭综合实验区自然资源与生态环境局"]
    assert gazetteer.named("淮安") == ["淮安市人民政府", "淮安市洪泽区人民政府"]
    assert gazetteer.named("平潭资源生态局") == ["平潭综合实验区自然资源与生态环境局"]
    assert gazetteer.named("平潭公安局") == ["平潭综合实验区公安局"]
    assert gazetteer.named("西柳街道") == []


def test_the_exact_name_and_the_next_word_are_no_slip_of_a_longer_name():
    # 王家街道|通过 is one character away from the alias 王家街道办; 通 starts the next word, it is no slip
    gazetteer = Gazetteer([("王家街道", "重庆市渝北区人民政府王家街道办事处")])
    assert gazetteer.match_fuzzy("王家街道通过哪些形式进行政务公开") == []
    assert [body for _, _, body in gazetteer.match_fuzzy("王家街道力事处2019年收到多少申请")] == ["王家街道"]


def test_a_name_ending_in_ban_leaves_ban_to_the_verb_after_it():
    gazetteer = Gazetteer([("桥头胡街道", "桥头胡街道办事处")])
    assert [(s, e) for s, e, _ in gazetteer.match("桥头胡街道办结率是多少")] == [(0, 5)]  # 办结率, not 街道办|结率
    assert [(s, e) for s, e, _ in gazetteer.match("桥头胡街道办2020年收到多少申请")] == [(0, 6)]
