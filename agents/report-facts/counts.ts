/**
 * The counts a report gives: parts affected of parts inspected ("3 of 20", "20把中有3把", "NG 4"), the
 * AQL and defect rates, told apart from dates, signatures, loads and readings that look like them.
 */
import { TYPE_MATCHERS } from './matchers.ts';
import type { DefectCount } from './schema.ts';
import { normalizeText } from './segment.ts';

/** A quantity named right before numbers: "ICP 55/57", "HRC: 56/57", "刃角 15/16" are readings, not counts. */
export const READING_QUANTITY_BEFORE =
  /\b(icp|hrc|hv|hardness|sharpness|catra|gloss|ra|angle|deg)\s*[:=：]?\s*$|(硬度|锋利度|刃角|角度|光泽度?|粗糙度)\s*[:=：]?\s*$/;

/** A verdict or a unit of parts right after "12/12": a count of parts tested ("锋利度 12/12 合格"), not two readings. */
export const COUNT_VERDICT_AFTER =
  /^\s*(合格|通过|ok\b|pass(ed|es)?\b|ng\b|fail(ed)?\b|pcs\b|pieces\b|把|件|支|只|个)/u;

/** Words before a count of how full a rack or a furnace was: "rack load 38/40", 装炉量. */
export const LOAD_BEFORE =
  /\b(rack|furnace|basket|tray|fixture)?\s*(load(ed|ing)?|fill|capacity)\s*[:：]?\s*$|装炉(量|数)?\s*[:：]?\s*$/u;

/** A table cell that states a limit ("<=90", "2.50 +/-0.05", "0.45-0.55") right before the cell being read. */
const LIMIT_CELL_BEFORE =
  /\|\s*(spec\w*\s*[:：]?\s*)?((<=|>=|≤|≥|<|>|max\.?|min\.?)\s*\d+(\.\d+)?|\d+(\.\d+)?\s*(±|\+\/-|\+-)\s*\d+(\.\d+)?|\d+(\.\d+)?\s*(-|–|~|～|to)\s*\d+(\.\d+)?)\s*[a-z%°µ]*\s*\|\s*$/u;

/** A unit in brackets on a column's header: "(mm)", "(N.m)", "(HRC)", "（℃）". */
const HEADER_UNIT = /[(（]\s*(mm|µm|um|n[.·]?m|nm|n|kn|kgf?|hrc|hv|°c?|℃|%|s|min|h|gu|icp|mpa|bar)\s*[)）]/u;
/** The header of a column that counts parts: "NG", "rejects", "pass/total", 不良数. */
const COUNT_HEADER =
  /\b(ng|nok|ok|rejects?|defect\w*|fail\w*|pass\w*|count|qty|pcs|pieces|parts)\b|不良|合格|数量|件数/u;

/**
 * Whether a match fills a cell of a pasted table whose column header gives a unit of a reading
 * ("torque to failure (N.m)" over "66 / 71"): the readings of two samples, not a count.
 */
function readingsInAUnitColumn(text: string, match: RegExpMatchArray): boolean {
  const at = match.index ?? 0;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd);
  if (!line.includes('|')) return false;
  const column = (text.slice(lineStart, at).trim().replace(/^\|/u, '').match(/\|/gu) ?? []).length;
  const lines = text.slice(0, lineStart).split('\n').reverse();
  const header = lines.find(
    (above) =>
      above.includes('|') &&
      !/\d/u.test(
        above.replace(/[(（][^()（）]*[)）]/gu, '').replace(/[<>≤≥]=?\s*\d+(?:\.\d+)?\s*[a-zµ]*/gu, ''),
      ),
  );
  const cells =
    header
      ?.trim()
      .replace(/^\||\|$/gu, '')
      .split('|') ?? [];
  const cell = cells[column]?.trim() ?? '';
  return (
    HEADER_UNIT.test(cell) && !COUNT_HEADER.test(cell.replace(HEADER_UNIT, ' ').replace(/\bto fail\w*/u, ' '))
  );
}

/** Words before a month/day date ("pump serviced 10/3", "calibrated 3/12"). */
const DATE_BEFORE =
  /(\b(since|dated?|until|till|replaced|changed|installed|serviced|calibrated|repaired|updated|due|last|see|ref|notice|letter|e-?mail|meeting|visit|hand-?over|(mon|tues?|wed(nes)?|thu(rs)?|thursday|fri|sat(ur)?|sun)(day)?|next)|(周|星期|礼拜)[一二三四五六日天]|下周|本周|这周|见|参见|详见|参考|参照|记录|日期|交接班|交班|接班|审核|巡检|点检|抽检记录|检验记录)\s*([(（][^()（）\n]{0,16}[)）])?\s*[:：(（]?\s*$/u;

/** Whether an x/n match is a month/day date that a maintenance or time word introduces, not a count. */
function isDate(text: string, match: RegExpMatchArray): boolean {
  const [month, day] = [Number(match[1]), Number(match[2])];
  if (!/^\d{1,2}\s*\/\s*\d{1,2}$/.test(match[0].trim()) || month < 1 || month > 12 || day < 1 || day > 31)
    return false;
  // "03/09": a month written with its leading zero is a date, never a count.
  if (/^0\d\s*\/\s*\d{2}$/u.test(match[0].trim())) return true;
  const before = text.slice(Math.max(0, (match.index ?? 0) - 16), match.index);
  const after = text.slice((match.index ?? 0) + match[0].length, (match.index ?? 0) + match[0].length + 16);
  // "巡检 7/11 10:00": a month and day before a time of day; "退火 AN-1（850°C）6/16：出炉后": a
  // month and day after a bracketed aside, before a colon.
  return (
    DATE_BEFORE.test(before) ||
    // "signed by the customer's QA on 5/18": the day it was signed.
    /\b(signed|approved|issued|granted|dated)\b[^.\n]{0,30}\bon\s*$/u.test(
      text.slice(Math.max(0, (match.index ?? 0) - 48), match.index),
    ) ||
    DATE_AFTER.test(after) ||
    /^\s*[)）]?\s*\d{1,2}[:：]\d{2}\b/u.test(after) ||
    (/[)）]\s*$/u.test(before) && /^\s*[:：]/u.test(after)) ||
    // "回复（3/8，孙工）", "(3/8, Li)": a bracket holding only the day and who wrote it.
    (/[(（]\s*$/u.test(before) &&
      /^\s*[,，]\s*(\p{Script=Han}{1,4}|[a-z]+( [a-z]+)?)\s*[)）]/u.test(after)) ||
    // "[品质群 11/20]", "[WeChat QA group 3/14]": the day that closes a bracketed heading.
    (/^\s*[\]】]/u.test(after) && /[[【][^\]】\n\d]{1,14}$/u.test(before)) ||
    datesTheRecordTitle(text, match) ||
    datesTheLotHeader(text, match) ||
    datesTheSignature(text, match)
  );
}

/** The lot or sample a record's header names: 批号, 抽样, "lot", "batch", "n=". */
const LOT_HEADER = /批号|批次|抽样|\b(lot|batch|sample size|n\s*=)/u;

/**
 * A month/day that ends a header line of a record, before any finding ("批号 SZ-03   抽样 125 (AQL
 * 1.0)   11/22"): the day of the record, not a count.
 */
function datesTheLotHeader(text: string, match: RegExpMatchArray): boolean {
  const at = match.index ?? 0;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, at);
  return (
    lineEnd > 0 &&
    text.slice(0, lineStart).split('\n').length <= 3 &&
    text.slice(at + match[0].length, lineEnd).trim() === '' &&
    LOT_HEADER.test(line) &&
    !/[:：]\s*$|\b(ng|nok|rejects?|defects?|defectives?|fail\w*|bad)\b|不良|缺陷|不合格/u.test(line) &&
    !TYPE_MATCHERS.some(([, matcher]) => matcher.find(text.slice(0, at)).length > 0)
  );
}

/** The label of a record's signature line: 检验, 复检, 审核, "checked by", "inspector". */
const SIGNATURE_LABEL =
  /^\s*(检验员?|复检|审核|批准|签字|签名|记录人?|确认人?|\binspector\b|\b(inspected|checked|approved|signed|verified|reviewed) by\b|\bsign-?off\b)\s*[:：]?/u;

/** A month/day that ends a signature line ("复检：IPQC 潘 9/28", "checked by: Li 3/14"). */
function datesTheSignature(text: string, match: RegExpMatchArray): boolean {
  const at = match.index ?? 0;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at);
  const rest = text.slice(at + match[0].length, lineEnd < 0 ? undefined : lineEnd);
  const line = text.slice(lineStart, at);
  // Only names stand between the label and the date: no count, no reading.
  if (rest.trim() === '' && SIGNATURE_LABEL.test(line) && !/\d/u.test(line.replace(SIGNATURE_LABEL, '')))
    return true;
  // A role and a name signing off at the end of a line ("… 放行 to honing.   QE 陈凯 10/28"), or a
  // date and a name after a dash ("… 可以开线。11/25 —小罗").
  return (
    (rest.trim() === '' && SIGNING_ROLE_AND_NAME.test(line)) ||
    (/^\s*[—–-]{1,2}\s*(\p{Script=Han}{1,3}|[a-z]+)\s*$/iu.test(rest) && /([。.!！;；]|^)\s*$/u.test(line))
  );
}

/** A quality role and a person's name right before a date that ends the line: "QE 陈凯", "QA Li Na", "检验员 王芳". */
const SIGNING_ROLE_AND_NAME =
  /(^|[\s.。;；,，:：—-])(qe|qa|qc|iqc|ipqc|oqc|fqc|sqe|pqe|检验员?|质检员?|品管|品质|工程师)\s*[:：]?\s*(\p{Script=Han}{2,3}|[a-z]+( [a-z]+)?)\s*$/iu;

/** The name of a record or sheet: "检验记录", "check sheet", "report". */
const RECORD_TITLE =
  /\b(record|report|sheet|log|check|inspection|audit)\b|记录|报告|检验|检查|巡检|点检|首件|末件/u;

/** A month/day that ends the title line of a record ("尺寸检验记录（末件） WK-KN-200 冲压线2 3/30"), with the sheet below it. */
function datesTheRecordTitle(text: string, match: RegExpMatchArray): boolean {
  const at = match.index ?? 0;
  const lineEnd = text.indexOf('\n', at);
  return (
    lineEnd > 0 &&
    text.lastIndexOf('\n', at) < 0 &&
    text.slice(at + match[0].length, lineEnd).trim() === '' &&
    RECORD_TITLE.test(text.slice(0, at)) &&
    // "Patrol check: chips 2/20": a count of what the title names.
    !/[:：]|\b(ng|nok|rejects?|defects?|defectives?|fail\w*|bad)\b|不良|缺陷|不合格/u.test(
      text.slice(0, at),
    ) &&
    !TYPE_MATCHERS.some(([, matcher]) => matcher.find(text.slice(0, at)).length > 0)
  );
}

/** What follows a month/day date at the head of a record (the SKU, lot, shift, line, record or facility it is about) or a signature's date: 签字, "signed". */
const DATE_AFTER =
  /^\s*(\b[a-z]{2}-[a-z]{2}-\d+\b|\b(lot|batch|shift|line)\b|\b(night|day|morning|evening|[abc])\s*(->|→|>|to)\s*(night|day|morning|evening|[abc])\b|\b(day|night|morning|evening|late|early|first|second|third|1st|2nd|3rd) shift\b|[:：]\s*(\n|$)|\b(onwards?|onward)\b|批次|班|线|[早中晚夜白]班|交接班|交班|接班|巡检|点检|\b(handover|patrol)\b|以后|之后|以来|起(?!码)|后的|([\u4e00-\u9fff]{0,4})记录|阳江|深圳|香港|\b(yangjiang|shenzhen|hong kong)\b|上午|下午|中午|晚上|早上|凌晨|\b(am|pm|a\.m\.|p\.m\.|morning|afternoon|evening)\b|签字|签名|签署|签发|批准|\b(signed|approved|sign-?off)\b)/u;

/** What follows a count of all the parts when all of them conform: "40/40 smooth", "12/12 合格". */
export const ALL_COUNTED_CONFORM =
  /^\s*(pcs|件|把|个|只)?\s*(母材(撕裂|断裂|断开|拉断)?|(tore|broke|failed|fractured) in (the )?(base|parent) metal|(base|parent)[- ]metal (tear|failure|fracture)s?)|^\s*(pcs|pieces|parts|units|pairs|knives|pans|woks|件|把|个|只)?\s*([a-z/-]+\s+){0,2}(ok|good|fine|pass(ed)?|conform\w*|smooth|even|correct|normal|clean|in spec|within spec)\b|^\s*(pcs|pieces|parts|units|pairs|件|把|个|只)?\s*([a-z/-]+\s*){0,2}[:,-]?\s*(no|without|free of|zero|nil)\s+[a-z]|^\s*with (a )?full (button|nugget|fusion|penetration)s?\b|^\s*(件|把|个|只)?\s*[:：,，]?\s*(无|没有|未见)|^\s*(pcs|件|把|个|只)?\s*[\u4e00-\u9fff]{0,4}(合格|正常|良好|顺畅|顺滑|通过|ok)/u;

/** Counts: "3 of 20", "3/20 pcs", "20把中有3把", "200 把里 17 把", "抽检50件不良2件", "NG 4", "AQL 1.0", "defect rate 2.5 %". */
export function readCounts(text: string): DefectCount[] {
  // "12 of 1,500": a thousands separator is part of its number.
  const normalized = normalizeText(text).replace(/(?<=\d),(?=\d{3}(?![\d.]))/gu, '');
  const counts: DefectCount[] = [];
  const push = (affected: number | null, inspected: number | null, match: string): void => {
    if (inspected !== null && affected !== null && affected > inspected) return;
    counts.push({ affected, inspected, rate_percent: null, aql: null, text: match.trim() });
  };
  for (const match of normalized.matchAll(
    /(?<![\d.]|\d\s*\/\s*|[a-z][a-z0-9]*-)(\d{1,6})\s*(?:pcs|pieces|units|knives|pans|woks|pairs|parts|blades|handles)?\s*(?:of|out of|\/|from)\s*(?:the\s*)?(\d{1,6})(?!\d|\.\d)(?!\s*\/\s*\d)(?!\s*(?:hrc|icp|mm|°|h\b|kgf?\b|n\b|nm\b|gu\b|%|µm|um\b|ra\b|rpm\b|bar\b|mpa\b|min\b|s\b|℃|°c))/g,
  )) {
    if (
      READING_QUANTITY_BEFORE.test(normalized.slice(Math.max(0, match.index - 12), match.index)) &&
      !COUNT_VERDICT_AFTER.test(normalized.slice(match.index + match[0].length))
    )
      continue;
    if (isDate(normalized, match)) continue;
    // "耐磨 abrasion cycles (≥3,000): 4200 / 4650": readings after a label that states their limit.
    const lineBefore = normalized.slice(normalized.lastIndexOf('\n', match.index) + 1, match.index);
    if (/[(（][^()（）\n]*\d[^()（）\n]*[)）]\s*[:：]\s*$/u.test(lineBefore)) continue;
    // "Hardness HRB | <=90 | 84 / 86": readings in the cell after the row's limit cell.
    if (LIMIT_CELL_BEFORE.test(lineBefore)) continue;
    if (readingsInAUnitColumn(normalized, match)) continue;
    // "H-2 / 2025-06-21": a year of a date after the bar, not a number inspected.
    if (/^[-.]\d{1,2}[-.]\d{1,2}\b/u.test(normalized.slice(match.index + match[0].length))) continue;
    // "n=125 of 2,000", "sample 80 of 1,600": the sample drawn from the lot, not parts found.
    if (
      /(\bn\s*=|\bsample( size)?\s*[:=]?|\bsampled\s*[:=]?)\s*$/u.test(
        normalized.slice(Math.max(0, match.index - 14), match.index),
      )
    )
      continue;
    // "no rust 32/32", "无锈 5/5", "10/10 no rust": the parts found without the defect the words
    // before or after it deny.
    if (
      (/(\b(no|without|zero|free of)\s+[a-z]+(\s+[a-z]+)?|(无|没有|未见)[\u4e00-\u9fff]{1,4})[\s:：]*$/u.test(
        normalized.slice(Math.max(0, match.index - 24), match.index),
      ) ||
        // "10/10 刀身、刃口、铆钉位置无锈": after the places looked at.
        /^[\s:：]*(pcs\s+|pieces\s+|parts\s+)?(\b(no|without|free of)\s+[a-z]|((?!有)[\u4e00-\u9fff、]){0,16}(无|没有|未见)[\u4e00-\u9fff])/u.test(
          normalized.slice(match.index + match[0].length),
        )) &&
      Number(match[1]) === Number(match[2])
    ) {
      push(0, Number(match[2]), match[0]);
      continue;
    }
    // "cut test 32/32 OK", "20/20 合格": the parts that passed; the rest of the sample failed.
    if (
      /^\s*(ok\b|pass(ed)?\b|good\b|clean\b|conform\w*|合格|通过|良品)/u.test(
        normalized.slice(match.index + match[0].length),
      ) &&
      Number(match[1]) <= Number(match[2])
    ) {
      push(Number(match[2]) - Number(match[1]), Number(match[2]), match[0]);
      continue;
    }
    push(Number(match[1]), Number(match[2]), match[0]);
  }
  for (const match of normalized.matchAll(
    /(\d{1,6})\s*(?:把|件|个|只|支|pcs|套)?\s*(?:中|里|里面|当中)\s*有?\s*(\d{1,6})/g,
  ))
    push(Number(match[2]), Number(match[1]), match[0]);
  for (const match of normalized.matchAll(
    /(?:抽检|抽查|检查|检验|全检|inspected|checked|sampled|sample of)\s*(\d{1,6})[^\d。；;\n]{0,12}?(?:不良|(?<![a-z])ng(?![a-z])|不合格|rejects?|defective|fail(?:ed)?)\s*[:：]?\s*(\d{1,6})/g,
  ))
    push(Number(match[2]), Number(match[1]), match[0]);
  // "抽50只12只不良", "抽 30 件 10 件": the sample, then the parts found in it.
  for (const match of normalized.matchAll(
    /抽(?:检|查|样)?\s*(\d{1,6})\s*(?:件|只|把|个|支|pcs)\s*[，,、]?\s*(?:其中|有)?\s*(\d{1,6})\s*(?:件|只|把|个|支|pcs)(?!\s*(?:合格|ok|良品|正常|通过|无))/gu,
  ))
    if (Number(match[2]) <= Number(match[1]) && !counts.some((count) => count.affected === Number(match[2])))
      push(Number(match[2]), Number(match[1]), match[0]);
  for (const match of normalized.matchAll(
    /(?:(?<![\d.]|\/\s?)(\d{1,6})[ \t]*(?:pcs|pieces|units|件|把|个)?[ \t]*(?:ng(?![a-z])|rejects?|rejected|defective|不良|不合格))|(?:(?:(?<![a-z])ng|rejects?|defectives?|不良|不合格)[ \t]*(?:found|qty|count|total|数)?[ \t]*[:：=]?[ \t]*(\d{1,6})(?!\s*[%/]))/g,
  )) {
    const affected = Number(match[1] ?? match[2]);
    if (!counts.some((count) => count.affected === affected)) push(affected, null, match[0]);
  }
  for (const match of normalized.matchAll(
    /(?:defect rate|reject rate|ng rate|不良率|失效率)\s*[:：=]?\s*(\d+(?:\.\d+)?)\s*%/g,
  ))
    counts.push({
      affected: null,
      inspected: null,
      rate_percent: Number(match[1]),
      aql: null,
      text: match[0],
    });
  for (const match of normalized.matchAll(/aql\s*[:：=]?\s*(\d+(?:\.\d+)?)/g))
    counts.push({
      affected: null,
      inspected: null,
      rate_percent: null,
      aql: Number(match[1]),
      text: match[0],
    });
  return counts;
}
