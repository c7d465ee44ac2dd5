"""全国地方公共団体コード: five digits and a check digit (総務省の定める検査数字)."""

import re

_CODE = re.compile(r"^\d{6}$")


def check_digit(code5: str) -> int:
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    # The last digit of 11 minus the remainder: 10 becomes 0 and 11 becomes 1.
    return (11 - total % 11) % 10


def with_check_digit(code5: str) -> str:
    return f"{code5}{check_digit(code5)}"


def is_valid(code: str) -> bool:
    return bool(_CODE.match(code)) and check_digit(code[:5]) == int(code[5])
