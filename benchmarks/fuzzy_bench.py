"""Fuzzy name matching over many held bodies: the first question that needs it (the index is built then), its
memory, and the questions after it. Prints figures; checks that a one-character slip of a held name is found.

    python -m benchmarks.fuzzy_bench [--bodies 10000]
"""
from __future__ import annotations

import argparse
import random
import time
import tracemalloc

from index.gazetteer import Gazetteer

CHARS = ("东西南北中前后左右上下大小新老金银铜铁山水河湖海江桥林村庄园坝岭塘湾沟口门头尾家王李张刘陈杨黄赵周吴徐孙马朱胡"
         "郭何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范石廖贾夏韦付方白邹孟熊秦邱")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bodies", type=int, default=10000)
    args = parser.parse_args()
    rng = random.Random(1)
    names: set[str] = set()
    while len(names) < args.bodies:
        names.add("".join(rng.choice(CHARS) for _ in range(rng.choice([2, 3]))) + rng.choice(["街道", "镇", "乡"]))
    started = time.perf_counter()
    gazetteer = Gazetteer([(n, n + ("办事处" if n.endswith("街道") else "人民政府")) for n in names])
    print(f"{len(names)} bodies, {len(gazetteer.alias_to_bodies)} aliases: gazetteer {time.perf_counter() - started:.2f} s")
    target = sorted(n for n in names if len(n) >= 5)[0]
    slip = target[:1] + ("某" if target[1] != "某" else "甲") + target[2:]
    tracemalloc.start()
    started = time.perf_counter()
    found = gazetteer.match_fuzzy(f"{slip}2020年收到多少申请")
    first = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"first fuzzy question {first * 1000:.0f} ms, peak {peak:.0f} MB; {slip} -> {[b for _, _, b in found]}"
          f" ({'found' if [b for _, _, b in found] == [target] else 'NOT FOUND'})")
    questions = [f"{n[:1]}某{n[2:]}2019年收到多少申请" for n in sorted(names)[:200]]
    started = time.perf_counter()
    for question in questions:
        gazetteer.match_fuzzy(question)
    print(f"next {len(questions)} questions: {(time.perf_counter() - started) / len(questions) * 1000:.1f} ms each")


if __name__ == "__main__":
    main()
