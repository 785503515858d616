//! Chinese numerals as regulations write article numbers: 第十条,
//! 第一百零一条, 第一千零七十九条, 第两百条, 第二〇条 (rare), and Arabic 第10条.

/// Parses a Chinese or Arabic numeral (1 … 99,999). `None` for anything
/// else, including an empty string.
pub fn parse(text: &str) -> Option<u32> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().filter(|&n| n > 0);
    }
    let full_width_digits: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if full_width_digits != text {
        return parse(&full_width_digits);
    }
    parse_chinese(text)
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '兩' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        '万' | '萬' => 10_000,
        _ => return None,
    })
}

fn parse_chinese(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    // Positional form without units (二〇二 = 202), as in some old texts.
    if text.chars().count() > 1 && text.chars().all(|c| digit(c).is_some()) {
        return text
            .chars()
            .try_fold(0u32, |acc, c| acc.checked_mul(10)?.checked_add(digit(c)?))
            .filter(|&n| n > 0);
    }
    let mut total = 0u32;
    let mut section = 0u32; // below 10,000
    let mut pending: Option<u32> = None;
    let mut last_unit = u32::MAX;
    for c in text.chars() {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                return None; // two digits in a row: 一二十
            }
            pending = if d == 0 { None } else { Some(d) };
        } else if let Some(u) = unit(c) {
            if u == 10_000 {
                section += pending.take().unwrap_or(0);
                if section == 0 {
                    return None;
                }
                total = section * 10_000;
                section = 0;
                last_unit = u32::MAX;
                continue;
            }
            if u >= last_unit {
                return None; // 十百, 百百
            }
            // 十 alone means 一十 (十五 = 15); elsewhere a unit needs a digit.
            let d = match pending.take() {
                Some(d) => d,
                None if u == 10 => 1,
                None => return None,
            };
            section += d * u;
            last_unit = u;
        } else {
            return None;
        }
    }
    let n = total + section + pending.unwrap_or(0);
    (n > 0).then_some(n)
}

/// Writes `n` (1 … 9,999) the way regulations number articles:
/// 10 → 十, 15 → 十五, 101 → 一百零一, 1079 → 一千零七十九, 110 → 一百一十.
pub fn to_chinese(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 || n >= 10_000 {
        return n.to_string();
    }
    let places = [(1000, '千'), (100, '百'), (10, '十'), (1, ' ')];
    let mut out = String::new();
    let mut zero_pending = false;
    for (value, unit) in places {
        let d = (n / value) % 10;
        if d == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push('零');
            zero_pending = false;
        }
        // 十五, not 一十五, when ten is the leading place.
        if !(value == 10 && d == 1 && out.is_empty()) {
            out.push(DIGITS[d as usize]);
        }
        if value > 1 {
            out.push(unit);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_parse_article_numbers() {
        for (text, n) in [
            ("一", 1),
            ("十", 10),
            ("十五", 15),
            ("二十", 20),
            ("一百零一", 101),
            ("一百一十", 110),
            ("一百二十三", 123),
            ("两百", 200),
            ("一千零七十九", 1079),
            ("一千零一", 1001),
            ("一千二百", 1200),
            ("二〇二", 202),
            ("10", 10),
            ("１２", 12),
            ("壹拾", 10),
            ("一万零一", 10_001),
        ] {
            assert_eq!(parse(text), Some(n), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for text in [
            "",
            "零",
            "百",
            "十百",
            "一二十",
            "三条",
            "abc",
            "0",
            "一百百",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn writes_numbers_the_regulation_way() {
        for (n, text) in [
            (1, "一"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (101, "一百零一"),
            (110, "一百一十"),
            (1079, "一千零七十九"),
            (1001, "一千零一"),
            (1200, "一千二百"),
        ] {
            assert_eq!(to_chinese(n), text, "{n}");
            assert_eq!(parse(text), Some(n), "{text}");
        }
    }

    #[test]
    fn round_trips_every_article_number() {
        for n in 1..=2000 {
            assert_eq!(parse(&to_chinese(n)), Some(n), "{n} {}", to_chinese(n));
        }
    }
}
