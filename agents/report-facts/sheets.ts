import { checkMeasurements } from '../../action-groups/process-windows/tools.ts';
import type { ConcreteDefectType, ProductionStage } from '../../domain/index.ts';
import { TYPE_MATCHERS } from './matchers.ts';
import type { StandardCheck } from './schema.ts';

/*
 * Readings against the limits a report states: a table's columns against its row or line of
 * limits, a sheet's rows against the limit above them, readings against the bracket after them,
 * and the quantities the plant measures that those readings name.
 */

/**
 * A hardness scale other than Rockwell C: Rockwell B of annealed strip, Brinell, Vickers, Shore of
 * plastics. Its numbers are not HRC and are never set against the blade's HRC window.
 */
export const OTHER_HARDNESS_SCALE = /\b(hrb|hrf|hb|hbw|hv\d*|hr15n|hr30n|shore\s*[ad]?)\b/u;

/**
 * A limit the report itself states: "spec 54-58", "dwg 152 ±0.8", "vs 21 ±0.5", "要求 54~58",
 * "min 50". The drawing or the specification of the part, which for dimensions only the report knows.
 */
export const STATED_TOLERANCE = /(\d+(?:\.\d+)?)\s*(?:mm\s*)?(?:±|\+\/-|\+-)\s*(\d+(?:\.\d+)?)/g;
const STATED_RANGE =
  /(?:\bspec\w*|\bdwg\b|\bdrawing\b|\btol\w*|\brange\b|\blimits?\b|\bwindow\b|要求|规格|标准|图纸|公差)\s*[:=：]?\s*(\d+(?:\.\d+)?)\s*(?:mm\s*|hrc\s*)?(?:-|–|~|～|to)\s*(\d+(?:\.\d+)?)/g;

/** A one-sided limit: "spec >= 380", "min 50", "max 0.20", "≤ 0.3". */
const STATED_BOUND =
  /(?:\bspec\w*|\bmin(?:imum)?\b|\bmax(?:imum)?\b|\blimit\b|\ballowed\b|要求|规格|标准)?\s*[:=：]?\s*(>=|≥|>|<=|≤|<|\bmin(?:imum)?\b|\bmax(?:imum)?\b)\s*(?:allowed|is|of)?\s*[:=：]?\s*(\d+(?:\.\d+)?)/g;

export interface StatedLimit {
  lower: number;
  upper: number;
  text: string;
  /** Where the limit is written, so that its own numbers are not read as readings. */
  span: [number, number];
}

export function statedLimits(sentence: string): StatedLimit[] {
  const limits: StatedLimit[] = [];
  for (const match of sentence.matchAll(STATED_TOLERANCE)) {
    const nominal = Number(match[1]);
    const tolerance = Number(match[2]);
    if (tolerance > 0 && tolerance < nominal)
      limits.push({
        lower: nominal - tolerance,
        upper: nominal + tolerance,
        text: match[0].trim(),
        span: [match.index, match.index + match[0].length],
      });
  }
  for (const match of sentence.matchAll(STATED_BOUND)) {
    const value = Number(match[2]);
    const atLeast = /^(>=|≥|>|min)/.test(match[1]!);
    limits.push({
      lower: atLeast ? value : Number.NEGATIVE_INFINITY,
      upper: atLeast ? Number.POSITIVE_INFINITY : value,
      text: match[0].trim(),
      span: [match.index, match.index + match[0].length],
    });
  }
  for (const match of sentence.matchAll(STATED_RANGE)) {
    const lower = Number(match[1]);
    const upper = Number(match[2]);
    if (upper > lower)
      limits.push({
        lower,
        upper,
        text: match[0].trim(),
        span: [match.index, match.index + match[0].length],
      });
  }
  return limits;
}

/** The cells of a pasted table's line, without the bars at its ends. */
function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());
}

/** The words that open the row of a sheet giving each column's limit: "limits:", "spec", "要求". */
export const LIMITS_ROW =
  /^(limits?|spec(ification)?s?|tolerances?|requirements?|要求|标准|规格|公差)\s*[:：]?\s*/u;

/**
 * The columns of a pasted table read against the row of limits under them ("sn | HRC | rust |
 * scratch_mm", rows of readings, then "limits: HRC 54-58 | rust N | scratch 0"): the worst reading
 * of each column outside its limit is a finding of what the column's header names, a quantity the
 * plant measures or a defect of the glossary. Only readings out of their limits are returned.
 */
export function tableColumnsAgainstTheirLimits(normalized: string): StandardCheck[] {
  const rows = normalized
    .split('\n')
    .filter((line) => line.includes('|'))
    .map(cellsOf);
  const limitsAt = rows.findIndex((cells) => LIMITS_ROW.test(cells[0] ?? ''));
  const headerAt = rows.findIndex(
    (cells) => cells.length >= 3 && cells.every((cell) => !/^[\d.\s-]+$/.test(cell)),
  );
  if (limitsAt < 0 || headerAt < 0 || headerAt >= limitsAt) return [];
  const header = rows[headerAt]!;
  const limits = [rows[limitsAt]![0]!.replace(LIMITS_ROW, ''), ...rows[limitsAt]!.slice(1)];
  const data = rows.slice(headerAt + 1, limitsAt).filter((cells) => cells.length === header.length);
  const offset = header.length - limits.length;
  if (data.length === 0 || offset < 0) return [];
  const checks: StandardCheck[] = [];
  limits.forEach((limitCell, index) => {
    const column = index + offset;
    const name = header[column]!.replace(/_/g, ' ');
    const bound = limitCell.replace(/^[^\d≤<≥>±-]*/u, '').trim();
    const limit =
      bound === ''
        ? undefined
        : (limitOf(bound) ??
          (/^\d+(\.\d+)?$/.test(bound)
            ? { lower: Number.NEGATIVE_INFINITY, upper: Number(bound) }
            : undefined));
    const quantity = LABELLED_QUANTITIES.find((candidate) => candidate.label.test(name));
    const type =
      quantity?.type ??
      (TYPE_MATCHERS.find(([, matcher]) => matcher.find(name).length > 0)?.[0] as
        ConcreteDefectType | undefined);
    if (!type) return;
    const cells = data.map((cells) => cells[column] ?? '');
    if (!limit) {
      // A limit that is a mark ("rust N"): a cell with another mark is a finding.
      const expected = /\b(n|no|none|0|ok)$/u.exec(limitCell)?.[1];
      const found = expected
        ? cells.find((cell) => cell !== '' && cell !== expected && /^(y|yes|x|ng)$/u.test(cell))
        : undefined;
      if (found)
        checks.push({
          name: quantity?.name ?? `${type}_reading`,
          value: 1,
          limit: `as stated ("${limitCell}")`,
          status: 'above',
          suggests_defect_types: [type],
          suggests_stages: quantity ? [quantity.stage] : [],
        });
      return;
    }
    const values = cells.flatMap((cell) =>
      [...cell.matchAll(/(?<![\w.-])(\d+(?:\.\d+)?)(?![\w.])/gu)].map((match) => Number(match[1])),
    );
    const check = outOfStatedLimit({
      values,
      limit,
      stated: limitCell,
      name: quantity?.name ?? `${type}_reading`,
      type,
      stages: quantity ? [quantity.stage] : [],
    });
    if (check) checks.push(check);
  });
  return checks;
}

/** The rows of a pasted table under its header line, as long as they keep the header's width. */
function rowsUnder(lines: readonly string[], headerAt: number, width: number): string[][] {
  const rows: string[][] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (!line.includes('|')) break;
    const cells = cellsOf(line);
    if (cells.length !== width) break;
    rows.push(cells);
  }
  return rows;
}

/** A column that counts something per so many parts: "pores per 10 pcs", "NG qty", "不良数". */
const COUNT_COLUMN = /\b(per \d+\s*(pcs|pieces|parts)|count|qty|no\.? of|number of)\b|数量|个数|不良数|件数/u;

/** The limit "(0)" on a column that counts something: none allowed. */
function noneAllowedOnACount(label: string, inside: string): { lower: number; upper: number } | undefined {
  return /^\s*0\s*$/u.test(inside) && COUNT_COLUMN.test(label)
    ? { lower: Number.NEGATIVE_INFINITY, upper: 0 }
    : undefined;
}

/** A limit in brackets inside a header cell: "外径 Ø (200.0±1.0)", "wall (3.5±0.4)". */
const HEADER_CELL_LIMIT = /[(（]([^()（）]{1,30})[)）]/u;

/** A size of the equipment, not of the part: a dresser, a wheel, a pin, a die, an electrode, 金刚笔, 砂轮, 夹具. */
const EQUIPMENT_SIZE_LABEL =
  /\b(dress(er|ing)|diamond|wheel|fixture|jig|pin|die|punch|electrode|nozzle|spindle|guide|rail|mandrel|collet)s?\b|修整|金刚笔|砂轮|夹具|治具|定位销|模具|冲头|电极|喷嘴|主轴|导轨/u;

/**
 * The columns of a pasted table whose header cells carry their own limit ("pt | 外径 Ø (200.0±1.0) |
 * 底厚 (4.0±0.4)" over rows of readings): each column's readings against its cell's limit. A column
 * is a quantity the plant measures when its label names one, else a dimension of the drawing when
 * its limit is a tolerance in length. Only readings out of their limit are returned.
 */
export function tableColumnsAgainstHeaderLimits(normalized: string): StandardCheck[] {
  const lines = normalized.split('\n');
  const checks: StandardCheck[] = [];
  lines.forEach((line, at) => {
    if (!line.includes('|')) return;
    const header = cellsOf(line);
    const stated = header.map((cell) => {
      const bracket = HEADER_CELL_LIMIT.exec(cell);
      const limit = bracket
        ? (limitOf(bracket[1]!.trim()) ?? noneAllowedOnACount(cell.slice(0, bracket.index), bracket[1]!))
        : undefined;
      return bracket && limit
        ? { limit, text: bracket[1]!.trim(), label: cell.slice(0, bracket.index).trim() }
        : undefined;
    });
    if (stated.every((entry) => entry === undefined)) return;
    const rows = rowsUnder(lines, at, header.length);
    if (rows.length < 2) return;
    stated.forEach((entry, column) => {
      if (!entry) return;
      const values = rows
        .map((cells) => /^(\d+(?:\.\d+)?)$/u.exec((cells[column] ?? '').trim())?.[1])
        .filter((value): value is string => value !== undefined)
        .map(Number);
      if (values.length < 2) return;
      const quantity =
        LABELLED_QUANTITIES.find((candidate) => candidate.label.test(entry.label)) ??
        // A force the joint held ("拉脱力 kN（≥2.5）") on a sheet whose title names the welds
        // ("耳柄支架凸焊 拉力记录", "bracket weld pull test"): the welds' strength.
        (FORCE_LABEL.test(entry.label) && WELDS_TESTED.test(lines[0] ?? '')
          ? LABELLED_QUANTITIES.find((candidate) => candidate.name === 'weld_defect_reading')
          : undefined) ??
        // A tolerance in length, unless the label or the limit names another unit ("温度 °C (80±5)").
        (/±|\+\/-|\+-/u.test(entry.text) &&
        !/°|度|hrc|%|℃|\bn\b/u.test(entry.text) &&
        !/°|℃|%|\b(temp\w*|a|v|kv|ka|n|kn|mpa|bar|s|min|h|rpm|l\/min|hz|w|kw)\b|温度|温|含水|湿度|压力|时间|电流|电压|流量|转速|速度|浓度/u.test(
          entry.label,
        )
          ? { name: 'dimension_mm', type: 'dimensional_error' as const, stage: 'blade_stamp' as const }
          : undefined);
      if (!quantity) return;
      // A size of the equipment in the sheet ("修整金刚笔高度 mm (≥1.5)", "pin dia"): the machine's
      // state, read as its cause, not a size of the part.
      if (quantity.name === 'dimension_mm' && EQUIPMENT_SIZE_LABEL.test(entry.label)) return;
      const check = quantityOutOfLimit(quantity, values, entry.limit, entry.text);
      if (check) checks.push(check);
    });
  });
  return checks;
}

/** The line that states the limits of a sheet's columns: "limit:", "spec", "drg CI-200-01:", "要求". */
const SPEC_LINE_LABEL =
  /^\s*(limits?|spec(ification)?s?|drg|drawing|tolerances?|requirements?|req\.?|要求|标准|规格|公差)(?![a-z])(?:[^:：\n]{0,24}[:：]\s*|\s*)/u;
/** An item number heading a row: "#3", "3", "No.3", "3#", "pc 3". */
const ROW_ITEM = /^(#\s*\d{1,3}|\d{1,3}|no\.?\s*\d{1,3}|\d{1,3}#|pc\s*\d{1,3})$/u;
/** The number of an item written before its reading on the same row ("1:", "#2", "no.3", "4#"). */
const NUMBERED_ITEM = /^(#\s*\d{1,3}|\d{1,3}\s*[:：]|no\.?\s*\d{1,3}|\d{1,3}#|pc\s*\d{1,3})$/u;

/**
 * The columns of a sheet read against the line of limits above them ("limit: bow <= 0.30 mm,
 * twist <= 0.20 mm", "drg: rim dia 200.0 ±0.8, ovality <= 1.0, wall 3.0-3.6", "齿距 pitch 1.00
 * ±0.05 / 齿深 depth 0.30 ±0.05"), one limit per column in order, each row an item number and its
 * readings. A column is read only when its limit names a quantity the plant measures; a single
 * limit covers every reading of the rows. Only readings out of their limit are returned.
 */
export function columnsAgainstTheSpecLine(normalized: string): StandardCheck[] {
  const lines = normalized.split('\n');
  const checks: StandardCheck[] = [];
  lines.forEach((line, at) => {
    const labelled = SPEC_LINE_LABEL.exec(line);
    const body = labelled ? line.slice(labelled[0].length) : line;
    const limits = body
      .split(/\s*[,，;；]\s*|\s+\/\s+|\s*\|\s*/u)
      // A requirement in words ("peel must tear base metal") limits no column.
      .filter((segment) => /\d/u.test(segment))
      .map((segment) => {
        const start = segment.search(/[≤≥<>]|\d/u);
        if (start <= 0) return undefined;
        const label = segment.slice(0, start).trim();
        const limit = limitOf(segment.slice(start).trim());
        const quantity =
          LABELLED_QUANTITIES.find((candidate) => candidate.label.test(label)) ??
          // "spec pull-out >= 3.5 kN" under a title naming the welds pulled, or beside them on its own
          // line ("fracture in the stud not in the weld"): the welds' strength.
          (FORCE_LABEL.test(label) && lines.slice(0, at + 1).some((above) => WELDS_TESTED.test(above))
            ? LABELLED_QUANTITIES.find((candidate) => candidate.name === 'weld_defect_reading')
            : undefined);
        return limit && label ? { label, limit, stated: segment.trim(), quantity } : undefined;
      });
    if (limits.some((limit) => limit === undefined) || limits.length === 0) return;
    // Without a word for the limits, a line of two or more labelled limits of known quantities.
    if (!labelled && (limits.length < 2 || limits.some((limit) => !limit!.quantity))) return;
    const rows: number[][] = [];
    for (const line of lines.slice(at + 1)) {
      // The count of parts a row of readings was taken on ("抽样 13 件 ΔE：0.3 0.5 …") is no reading.
      const row = line.replace(PIECES_COUNTED, ' ');
      const cells = (row.includes('|') ? row.split('|') : row.split(/[\s/]+/u))
        .map((cell) => cell.trim())
        .filter(Boolean);
      if (cells.length === 0) break;
      // The header under the limits: words only.
      if (rows.length === 0 && cells.every((cell) => !/^\d/u.test(cell) && !ROW_ITEM.test(cell))) continue;
      const item = ROW_ITEM.test(cells[0]!) ? cells.slice(1) : cells;
      // A line that states a limit of its own ("rim ovality (<= 1.0): 0.2-0.7") is another check, not a row.
      if (/[<>≤≥]|[(（][^()（）]*\d[^()（）]*[)）]\s*[:：]/u.test(row)) break;
      const readings = item
        // "1: 0.22  2: 0.31": the numbers of the items along a row are not readings.
        .filter((cell) => !NUMBERED_ITEM.test(cell))
        .map((cell) => /^(\d+(?:\.\d+)?)/u.exec(cell)?.[1])
        .filter((value): value is string => value !== undefined)
        .map(Number);
      if (readings.length === 0 || (limits.length > 1 && readings.length !== limits.length)) break;
      rows.push(readings);
    }
    // Two rows or more, or one limit and a row of several readings ("序号 1-12: 0.3 / 1.2 / 0.9 …").
    if (rows.length < 2 && !(limits.length === 1 && rows.flat().length >= 3)) return;
    limits.forEach((limit, column) => {
      if (!limit!.quantity) return;
      const values = limits.length === 1 ? rows.flat() : rows.map((row) => row[column]!);
      const check = quantityOutOfLimit(limit!.quantity, values, limit!.limit, limit!.stated);
      if (check) checks.push(check);
    });
  });
  return checks;
}

/** A count of the parts a row was taken on: "13 件", "n = 5", "5 pcs". */
const PIECES_COUNTED =
  /(?<![\d.])\d+\s*(件|把|只|个|支|pcs|pieces|parts|samples|knives|blades)(?![a-z])|\bn\s*=\s*\d+\b/gu;

/** The header cell of a sheet's column of limits: "要求", "spec", "standard". */
export const REQUIREMENT_HEADER =
  /^(要求|标准|规格|公差|判定标准|spec(ification)?s?|limits?|requirements?|standard|tolerances?|criteria)$/u;
/** The header cell of a sheet's column of readings: "实测", "measured", "result". */
export const READINGS_HEADER =
  /^(实测|实测值|测量值|测量|读数|结果|检测结果|measured|measurements?|actual|readings?|results?|values?)$/u;

/**
 * The rows of a sheet with one column for the item, one for its limit and one for the readings
 * ("项目 | 要求 | 实测", then "螺柱破坏扭矩 N·m | ≥8 | 5.2 6.1 4.8"): each row's readings against its
 * own limit, when the item names a quantity the plant measures. Only readings out of it are returned.
 */
export function rowsAgainstTheirRequirementCell(normalized: string): StandardCheck[] {
  const rows = normalized
    .split('\n')
    .filter((line) => line.includes('|'))
    .map(cellsOf);
  // A header cell with an aside in brackets ("result (n=20)") is the same column.
  const headerWord = (cell: string): string => cell.replace(/\s*[(（][^()（）]*[)）]\s*$/u, '');
  const headerAt = rows.findIndex(
    (cells) =>
      cells.some((cell) => REQUIREMENT_HEADER.test(headerWord(cell))) &&
      cells.some((cell) => READINGS_HEADER.test(headerWord(cell))),
  );
  if (headerAt < 0) return [];
  const header = rows[headerAt]!;
  const limitColumn = header.findIndex((cell) => REQUIREMENT_HEADER.test(headerWord(cell)));
  const readingsColumn = header.findIndex((cell) => READINGS_HEADER.test(headerWord(cell)));
  const labelColumn = limitColumn > 0 ? 0 : -1;
  if (labelColumn < 0 || readingsColumn <= limitColumn) return [];
  const checks: StandardCheck[] = [];
  for (const cells of rows.slice(headerAt + 1)) {
    if (cells.length !== header.length) continue;
    const label = cells[labelColumn]!;
    const limit = limitOf(cells[limitColumn]!.replace(/^[^\d≤<≥>±-]*/u, '').trim());
    const readingsCell = cells[readingsColumn]!;
    // Readings only: numbers and units, no words ("浅或看不到 6/10", "C3 鼓包").
    if (!limit || !/^[\d.\s,，/、~–-]+[a-zµ°%]*$/u.test(readingsCell)) continue;
    const quantity = LABELLED_QUANTITIES.find((candidate) => candidate.label.test(label));
    if (!quantity) continue;
    const values = [...readingsCell.matchAll(/(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])/gu)].map((match) =>
      Number(match[1]),
    );
    const check = quantityOutOfLimit(quantity, values, limit, cells[limitColumn]!);
    if (check) checks.push(check);
  }
  return checks;
}

/** A limit on a line of its own after the readings: "spec 25-40 µm", "要求 ≤0.3 mm". */
const SPEC_LINE_AFTER =
  /^\s*(spec(ification)?|limits?|tolerance|requirement|要求|标准|规格|公差)\s*[:：]?\s*([^a-z\u4e00-\u9fff]*?)\s*(mm|µm|um|μm|毫米)\s*$/u;
/** A line naming where it was measured and the unit, then the readings: "rim (µm): 21 20 22 19". */
const UNIT_LABELLED_READINGS =
  /^\s*([^\d:：()（）\n]{1,30}?)\s*[(（]\s*(mm|µm|um|μm|毫米)\s*[)）]\s*[:：]\s*((?:\d+(?:\.\d+)?[\s,，/、]*){2,})$/u;

/**
 * Lines of readings, each labelled with its unit ("centre (µm): 17 16 19", "rim (µm): 21 20 22"),
 * read against the limit on the line after them in the same unit ("spec 25-40 µm"). The quantity is
 * the one the lines or the report's first line name (a DFT patrol, a flatness check); without one
 * nothing is read. Only readings out of the limit are returned.
 */
export function unitLinesAgainstTheSpecLineAfter(normalized: string): StandardCheck[] {
  const lines = normalized.split('\n');
  const checks: StandardCheck[] = [];
  lines.forEach((line, at) => {
    const spec = SPEC_LINE_AFTER.exec(line);
    const limit = spec ? limitOf(spec[3]!) : undefined;
    if (!spec || !limit) return;
    const unit = spec[4]!.replace(/^(um|μm)$/u, 'µm');
    const values: number[] = [];
    const labels: string[] = [];
    for (let back = at - 1; back >= 0; back -= 1) {
      const readings = UNIT_LABELLED_READINGS.exec(lines[back]!);
      if (!readings || readings[2]!.replace(/^(um|μm)$/u, 'µm') !== unit) break;
      labels.push(readings[1]!);
      values.push(...[...readings[3]!.matchAll(/\d+(?:\.\d+)?/gu)].map((value) => Number(value[0])));
    }
    if (values.length < 2) return;
    const quantity = [...labels, lines[0]!]
      .map((text) => LABELLED_QUANTITIES.find((candidate) => candidate.label.test(text)))
      .find((candidate) => candidate !== undefined);
    if (!quantity) return;
    const check = quantityOutOfLimit(quantity, values, limit, line.trim());
    if (check) checks.push(check);
  });
  return checks;
}

/** A line naming a quantity and its limit, with nothing after: "pull-off spec ≥ 1.80 kN", "Ra (um), spec <= 1.6". */
const LIMIT_LINE_OF_A_QUANTITY =
  /^(.{0,40}?)(?:\b(?:spec|limit|min|max)\b|要求|标准|规格)\s*[:：=]?\s*((?:≥|≤|>=|<=|<|>)\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*(?:-|–|~)\s*\d+(?:\.\d+)?)\s*[a-zµ°%·/]*\s*$/u;
/** A numbered item and its reading, several to a line: "#1 2.34   #2 2.16", "p1 2.4 | p2 2.9". */
const NUMBERED_ITEM_READING =
  /(?:^|[\s|,，;；])(?:#|p|pc|no\.?|点|样)\s*\d{1,3}\s*[:：=]?\s+(\d+(?:\.\d+)?)(?![\d.])/gu;

/**
 * The numbered items on the lines under a line that names a quantity and its limit ("pull-off spec
 * ≥ 1.80 kN", then "#1 2.34   #2 2.16   #3 1.41"): each item's reading against that limit. The
 * quantity is the one the limit line names; a force under a title naming the welds pulled is their
 * strength. Only readings out of the limit are returned.
 */
export function numberedItemsAgainstTheLimitAbove(normalized: string): StandardCheck[] {
  return readingsUnderTheLimitAbove({
    normalized,
    limitLine: LIMIT_LINE_OF_A_QUANTITY,
    reading: NUMBERED_ITEM_READING,
    least: 2,
    quantityOf: (label, above) =>
      LABELLED_QUANTITIES.find((candidate) => candidate.label.test(label)) ??
      (FORCE_LABEL.test(label) && WELDS_TESTED.test(above)
        ? LABELLED_QUANTITIES.find((candidate) => candidate.name === 'weld_defect_reading')
        : undefined),
    stated: (_limit, line) => line.trim(),
  });
}

/**
 * The readings on the lines under a line that states a quantity and its limit, each against that
 * limit. The limit line gives the label (its first group) and the limit (its second); each match of
 * the reading pattern gives one reading (its first group), and a line with fewer than `least` of
 * them ends the readings. Only readings out of the limit are returned.
 */
function readingsUnderTheLimitAbove({
  normalized,
  limitLine,
  reading,
  least,
  quantityOf,
  stated,
}: {
  normalized: string;
  limitLine: RegExp;
  reading: RegExp;
  least: number;
  /** The quantity a label names, given the lines down to the limit line. */
  quantityOf: (label: string, above: string) => (typeof LABELLED_QUANTITIES)[number] | undefined;
  /** The words of the limit as the check quotes them, given the limit and its line. */
  stated: (limit: string, line: string) => string;
}): StandardCheck[] {
  const lines = normalized.split('\n');
  const checks: StandardCheck[] = [];
  lines.forEach((line, at) => {
    const match = limitLine.exec(line);
    const limit = match ? limitOf(match[2]!.trim()) : undefined;
    if (!match || !limit) return;
    const values: number[] = [];
    for (const next of lines.slice(at + 1, at + 4)) {
      const readings = [...next.matchAll(reading)].map((found) => Number(found[1]));
      if (readings.length < least) break;
      values.push(...readings);
    }
    if (values.length < least) return;
    const quantity = quantityOf(match[1]!, lines.slice(0, at + 1).join('\n'));
    if (!quantity) return;
    const check = quantityOutOfLimit(quantity, values, limit, stated(match[2]!, line));
    if (check) checks.push(check);
  });
  return checks;
}

/** A label and its limit in brackets, words after it allowed: "Blade length (spec 150.0 ± 0.3 mm), every 20 strokes:". */
const LABEL_WITH_BRACKETED_LIMIT =
  /^\s*([^\d(（:：\n]{2,40}?)\s*[(（]\s*(?:(?:spec|limit|tol\.?|tolerance|要求|标准|规格|公差)\s*[:：]?\s*)?([^()（）]{1,30})[)）][^\n]{0,40}$/u;
/** A reading keyed by the time of day it was taken, several to a line: "08:00 150.1 | 08:20 150.2". */
const TIMED_READING = /(?:^|[\s|,，;；])\d{1,2}[:：]\d{2}\s*[:：=-]?\s+(\d+(?:\.\d+)?)(?![\d.:：])/gu;

/**
 * The readings after an item of a machine or a sample that has its own line ("cav 3: 2.6 3.1 2.9",
 * "station 2: 0.12 0.15", "模穴 4：2.8 2.7"), not the item's number.
 */
const ITEM_LINE_READING =
  /(?<=^\s*(?:cav(?:ity)?|cavities|station|stn|head|nest|spindle|sample|specimen|穴|模穴|型腔|工位)\s*#?\d{1,2}\s*[:：=][\s\d.,，/]*)(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])/gu;

/**
 * The readings on the lines under the label of a quantity and its limit in brackets ("Blade length
 * (spec 150.0 ± 0.3 mm), every 20 strokes:", "dE vs master (<=1.5), 5 shots:"), each against that
 * limit: a patrol sheet's readings taken at times of the day ("08:00 150.1 | 08:20 150.2 | 08:40
 * 150.6"), three or more to a line, and the readings of items on their own lines ("cav 1: 0.4 0.5
 * 0.6", "cav 3: 2.6 3.1 2.9 (grey patches)"), two or more. The quantity is the one the label names.
 * Only readings out of the limit are returned.
 */
export function readingsUnderTheirLabelledLimit(normalized: string): StandardCheck[] {
  return (
    [
      [TIMED_READING, 3],
      [ITEM_LINE_READING, 2],
    ] as const
  ).flatMap(([reading, least]) =>
    readingsUnderTheLimitAbove({
      normalized,
      limitLine: LABEL_WITH_BRACKETED_LIMIT,
      reading,
      least,
      quantityOf: (label) => LABELLED_QUANTITIES.find((candidate) => candidate.label.test(label)),
      stated: (limit) => limit.trim(),
    }),
  );
}

/**
 * A size given as its deviation with the drawing's tolerance after it: "tangs are long by 0.6-0.9
 * mm (drawing 38.0 ± 0.2 mm)", "oversize by 0.4 mm against ±0.1".
 */
const DEVIATION_AND_ITS_TOLERANCE =
  /\b(?:long|short|oversize|undersize|over|under|wide|narrow|thick|thin|off)\s+by\s+(\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*mm\b(?:[^.\n;]|\.(?=\d)){0,40}?(?:±|\+\/-|\+-)\s*(\d+(?:\.\d+)?)/gu;

/** Deviations of a size beyond the drawing's tolerance stated after them: a dimension out. */
export function deviationsBeyondTheirTolerance(normalized: string): StandardCheck[] {
  return [...normalized.matchAll(DEVIATION_AND_ITS_TOLERANCE)].flatMap((match) => {
    const deviation = Math.max(Number(match[1]), Number(match[2] ?? match[1]));
    const tolerance = Number(match[3]);
    return deviation > tolerance
      ? [
          {
            name: 'dimension_mm',
            value: deviation,
            limit: `a deviation within ± ${tolerance} mm as stated`,
            status: 'above' as const,
            suggests_defect_types: ['dimensional_error' as const],
            suggests_stages: ['blade_stamp' as const],
          },
        ]
      : [];
  });
}

/** The label of a force a joint must hold: pull-out, pull-off, peel, shear, 拉脱力. */
export const FORCE_LABEL =
  /\b(pull|pull-?out|pull-?off|peel|push-?out|push-?off|shear|tear-?off)\b|拉脱|拉力|剥离|推力|推脱|推出力|剪切/u;

/** A sheet whose title names welds, not rivets: "bracket welds", 焊点, 焊缝. */
export const WELDS_TESTED =
  /^(?![^\n]*\brivet)[^\n]*(\bwelds?\b|\bwelded\b|焊点|焊缝|焊接|凸焊|点焊|螺柱焊|焊机)/u;

/** Quantities of a sheet's columns besides the plant's standard ones: play of a handle, a case or compound layer, micro-hardness. */
const COLUMN_QUANTITIES: ReadonlyArray<{
  label: RegExp;
  name: string;
  type: ConcreteDefectType;
  stage: ProductionStage;
}> = [
  {
    label: /\b(play|wobble|movement|looseness)\b|松动|晃动|旷量/u,
    name: 'assembly_offset_mm',
    type: 'assembly_misalignment',
    stage: 'rivet_assembly',
  },
  {
    // A penetrant test's indications on a weld: pores and cracks the dye shows.
    label: /\b(rounded |linear )?indications?\b|渗透显示|显示痕迹/u,
    name: 'weld_pores',
    type: 'weld_defect',
    stage: 'bolster_welding',
  },
  {
    label:
      /\b(hv\d*(\.\d+)?|vickers|micro-?hardness|compound layer|white layer|case depth|nitrid\w*|decarb\w*)\b|显微硬度|维氏硬度|化合物层|渗层|渗氮层|脱碳层/u,
    name: 'case_reading',
    type: 'heat_treatment_defect',
    stage: 'heat_treatment',
  },
];

/** The line of a sheet stating its limits: "spec:", "acceptance:", "要求：". */
const LABELLED_LIMITS_LINE =
  /^\s*(limits?|spec(ification)?s?|drg|drawing|tolerances?|requirements?|req\.?|acceptance( criteria)?|accept|criteria|wps|要求|标准|规格|公差|判定标准|验收标准)(?![a-z])(?:[^:：\n]{0,24}[:：]\s*|\s*)/u;

/** Words of a label or a header that say nothing of the quantity: units, "spec", item words. */
const LABEL_STOP_WORDS = new Set([
  'mm',
  'um',
  'µm',
  'dia',
  'max',
  'min',
  'the',
  'of',
  'at',
  'in',
  'on',
  'per',
  'spec',
  'limit',
  'pc',
  'pcs',
  'no',
  'and',
]);

function labelWords(text: string): string[] {
  return [
    // The diameter sign names the quantity in both languages: "Ø 200.0±0.8" over "锅口直径 Ø mm".
    ...(/[øØ⌀]/u.test(text) ? ['ø'] : []),
    ...[...text.matchAll(/[a-z]{2,}/gu)].map((match) => match[0].slice(0, 5)),
    ...[...text.matchAll(/\p{Script=Han}{2,}/gu)].flatMap((match) =>
      [...match[0]].slice(0, -1).map((character, index) => character + match[0][index + 1]!),
    ),
  ].filter((word) => !LABEL_STOP_WORDS.has(word));
}

/**
 * The columns of a pasted table read against a line of labelled limits above or below it ("pc |
 * play at handle tip mm | rivet head dia mm" over rows of readings, then "spec: play <= 0.5 / head
 * 8.2-8.8 / no movement"): each limit goes to the column whose header shares a word with its label,
 * and the column's quantity is what the header and the label name. Only readings out of their
 * limit are returned.
 */
export function tableColumnsAgainstLabelledLimits(normalized: string): StandardCheck[] {
  const lines = normalized.split('\n');
  const headerLike = (line: string): boolean => {
    if (!line.includes('|')) return false;
    const cells = cellsOf(line);
    return (
      cells.length >= 2 &&
      cells.every((cell) => !/^[\d.\s]+$/u.test(cell) && !ROW_ITEM.test(cell)) &&
      cells.some((cell) => labelWords(cell).length > 0)
    );
  };
  // A title line of bars ("rivet audit | line 2 | lot …") over the header is not the header.
  const headerAt = lines.findIndex((line, at) => headerLike(line) && !headerLike(lines[at + 1] ?? ''));
  if (headerAt < 0) return [];
  const header = cellsOf(lines[headerAt]!);
  const rows = rowsUnder(lines, headerAt, header.length);
  if (rows.length < 2) return [];
  const specLine = lines.find(
    (line, at) =>
      (at < headerAt || at > headerAt + rows.length) &&
      // A line of limits may separate them with bars ("WPS: 110-125 A | torque >= 45 N.m").
      LABELLED_LIMITS_LINE.test(line),
  );
  if (!specLine) return [];
  const body = specLine.slice(LABELLED_LIMITS_LINE.exec(specLine)![0].length);
  const checks: StandardCheck[] = [];
  for (const segment of body.split(/\s*[,，;；|]\s*|\s+\/\s+/u)) {
    const start = segment.search(/[≤≥<>]|\d/u);
    if (start <= 0) continue;
    const label = segment.slice(0, start).trim();
    const stated = limitOf(segment.slice(start).trim());
    const words = labelWords(label);
    if (!stated || words.length === 0) continue;
    // "no rounded indication > 0.2 mm": a prohibition above a size is the size's upper limit.
    const prohibited = /^(no|none|nothing)\b|^(不允许|不得|无)/u.test(label);
    const limit =
      prohibited && Number.isFinite(stated.lower) && !Number.isFinite(stated.upper)
        ? { lower: Number.NEGATIVE_INFINITY, upper: stated.lower }
        : stated;
    const scored = header
      .map((cell, column) => ({
        column,
        shared: labelWords(cell).filter((word) => words.includes(word)).length,
      }))
      .filter(({ shared }) => shared > 0)
      .sort((left, right) => right.shared - left.shared);
    // A size limit on what the sheet counts goes to the column of sizes ("max size"), not of counts.
    const sizeColumn = /\d\s*(mm|µm|um)\b/u.test(segment)
      ? header.findIndex((cell) => /\b(size|max|length|dia\w*)\b|尺寸|大小|长度|直径/u.test(cell))
      : -1;
    const column = prohibited && sizeColumn >= 0 ? sizeColumn : scored[0]?.column;
    if (column === undefined) continue;
    const named = `${label} ${header[column]!}`;
    const quantity =
      COLUMN_QUANTITIES.find((candidate) => candidate.label.test(named)) ??
      LABELLED_QUANTITIES.find((candidate) => candidate.label.test(named));
    if (!quantity) continue;
    const values = rows
      .map((cells) => /^(\d+(?:\.\d+)?)/u.exec(cells[column] ?? '')?.[1])
      .filter((value): value is string => value !== undefined)
      .map(Number);
    if (values.length < 2) continue;
    const check = quantityOutOfLimit(quantity, values, limit, segment.trim());
    if (check) checks.push(check);
  }
  return checks;
}

/** A table cell that says a defect is absent: none, 0, nil, no, -, 无, ✓. */
const ABSENT_CELL = /^(none|nil|no|n|0|-|—|–|n\/a|ok|✓|✔|no indications?|nid|无|没有|未见|无显示|未发现)$/u;

/**
 * The header cells of a pasted table ("| specimen | hours | red rust | rating |") whose column
 * holds only cells saying the defect is absent, as `line|cell`, the line numbered from 0.
 */
export function columnsAllAbsent(normalized: string): Set<string> {
  const found = new Set<string>();
  const lines = normalized.split('\n');
  lines.forEach((line, at) => {
    // A header's cells may carry their limits in brackets ("| 熔深 mm（≥1.0） | 气孔 |") or the size
    // they count from ("| pores > 0.2 mm |"); a row of readings has numbers outside them.
    if (
      !line.includes('|') ||
      /\d/.test(
        line
          .replace(/[(（][^()（）]*[)）]/gu, '')
          .replace(/(?:[<>≤≥]=?)\s*\d+(?:\.\d+)?\s*(?:mm|µm|um)?/gu, ''),
      ) ||
      // A row of the table above, not its header; a title line of bars above ("weld test | WK-200 |
      // week 48") has other cells.
      (at > 0 && lines[at - 1]!.includes('|') && cellsOf(lines[at - 1]!).length === cellsOf(line).length)
    )
      return;
    const header = cellsOf(line);
    const rows: string[][] = [];
    for (const next of lines.slice(at + 1)) {
      if (!next.includes('|') || LIMITS_ROW.test(next.trim().replace(/^\|/, ''))) break;
      if (/^[\s|:-]+$/.test(next)) continue;
      rows.push(cellsOf(next));
    }
    if (rows.length === 0) return;
    header.forEach((cell, column) => {
      // A cell may hold the readings of several samples: "0 / 0".
      if (
        cell &&
        rows.every((row) =>
          (row[column] ?? '').split(/\s*[/,，、]\s*/u).every((value) => ABSENT_CELL.test(value)),
        )
      )
        found.add(`${at}|${cell}`);
    });
  });
  return found;
}

/** A reading of the teeth of a serrated edge: their depth, pitch or height. */
export const TOOTH_READING = /\b(tooth|teeth|serration)\s*(depth|pitch|height|spacing)\b|齿深|齿距|齿高/u;

/** What a labelled reading measures, by its label's words: the check's name, type and stage. */
export const LABELLED_QUANTITIES: ReadonlyArray<{
  label: RegExp;
  name: string;
  type: ConcreteDefectType;
  stage: ProductionStage;
}> = [
  {
    label: /\b(icp|sharpness|catra)\b|锋利度/u,
    name: 'sharpness_icp',
    type: 'edge_irregularity',
    stage: 'cutting_edge_honing',
  },
  {
    label: /\bhrc\b|(?<!\b(mou?ld|sand|core|rubber|shore)\s)\bhardness\b|(?<!砂型|型砂|砂芯|铸型)硬度/u,
    name: 'hardness_hrc',
    type: 'heat_treatment_defect',
    stage: 'heat_treatment',
  },
  {
    label:
      /\b(flatness|flat(?!\s+(table|plate|surface|granite|bed|bench|stone))|bow\w*|warp\w*|(?<!\b(handles?|axis|axle|loops?|rings?)\s+(is\s+|are\s+)?)twist\w*(?!\s+off\b)|camber|concav\w*|convex\w*|dished)\b|平面度|平整度|平直度|翘曲|扭曲|弯曲|中凹|内凹|外凸|凸起|凹陷/u,
    name: 'flatness_mm',
    type: 'heat_treatment_defect',
    stage: 'vacuum_quench',
  },
  {
    label: /\b(pores?|porosity|pinholes?|blowholes?)\b|气孔|砂眼/u,
    name: 'weld_pores',
    type: 'weld_defect',
    stage: 'bolster_welding',
  },
  {
    // The strength of a weld (a spot weld's pull-off or peel force, its nugget), how deep it fused
    // (fusion depth, penetration, 熔深) or how much of a brazed or bonded base is joined (bond area,
    // 结合率): a joint too weak, too shallow or with voids.
    label:
      /\b(bond(ed|ing)?|braze[d]?|joint) (area|coverage|ratio|rate)\b|结合率|结合面积|复合率|焊合率|钎着率|\b(spot[\s-]?)?weld(s|ed)?\b[^|,.;\n]{0,25}\b(pull|peel|shear|tensile|strength|force|load)\b|\bnuggets?\b|\b(fusion|weld|penetration) depth\b|\b(weld )?penetration\b|熔深|熔透深度|(焊点|焊接|点焊|焊缝)[^|，。；\n]{0,6}(拉脱力|拉力|剥离力|强度|剪切力)|熔核|焊核|焊脚|焊喉|咬边|焊缝(宽度?|高度?|余高|长度?)|\b(leg length|throat thickness|weld throat|undercut|bead (width|height)|weld (length|width|size))\b|\bstuds?\b[^|,.;\n]{0,12}\b(break(ing)?|failure|torque)\b|螺柱[^|，。；\n]{0,4}(破坏)?扭矩|破坏扭矩/u,
    name: 'weld_defect_reading',
    type: 'weld_defect',
    stage: 'bolster_welding',
  },
  {
    label: /δe|\bde\b|\bdelta[\s-]?e\b|\b(colou?r|shade)\b|色差|颜色/u,
    name: 'colour_delta_e',
    type: 'handle_discoloration',
    stage: 'handle_injection',
  },
  {
    label:
      /\b(rivets?(?!\s*holes?)|proud|flush|step|offset|gap|play|wobble|misalign\w*)\b|铆钉(?!孔)|间隙|错位|偏移|高度差|高低差|段差|旷量|摆动|晃动/u,
    name: 'assembly_offset_mm',
    type: 'assembly_misalignment',
    stage: 'rivet_assembly',
  },
  {
    label: /\b(opening|closing|open(ing)?\s*\/\s*clos(e|ing)) (force|effort)\b|开合力度?|开启力/u,
    name: 'opening_force_n',
    type: 'assembly_misalignment',
    stage: 'rivet_assembly',
  },
  {
    // The geometry the taper grind leaves for the edge: the grind line's straightness or waviness,
    // the bevel's width and its difference left to right, the edge's thickness before honing.
    label:
      /\b(grind ?line|v-?grind|bevel) (width|height|straightness|waviness|wave|run-?out|l\/r|left\/right|diff\w*)|\bbevel (width|height)\b|\bedge (line )?(thickness|straightness|waviness)\b|刃厚|\b(deviation from straight|straightness)\b[^|,;\n]{0,20}\b(grind|edge|bevel)\b|刃口(厚度|宽度|直线度|波浪|波纹)|开刃宽度|刃宽差|刃面(磨削)?宽度|磨削宽度|波纹度|磨削线(直线度|波浪)/u,
    name: 'edge_geometry_mm',
    type: 'edge_irregularity',
    stage: 'taper_grinding',
  },
  {
    // The teeth of a serrated edge: their depth and pitch are the edge's geometry.
    label: TOOTH_READING,
    name: 'edge_irregularity_reading',
    type: 'edge_irregularity',
    stage: 'cutting_edge_honing',
  },
  {
    // The thickness of a pan's coating or enamel, its finish: DFT, film, topcoat, 膜厚, 釉层厚度.
    label:
      /\b(dft|dry film|film thickness|coat(ing)? thickness|topcoat|top coat|base ?coat|enamel (coat )?thickness|glaze thickness|slip thickness)\b|膜厚|涂层厚度|漆膜厚度|釉层厚度|釉厚|珐琅层厚度/u,
    name: 'coating_thickness_um',
    type: 'polish_defect',
    stage: 'blade_glazing',
  },
  {
    // The roughness of a finished surface (Ra), its finish.
    label: /\bra\b|\broughness\b|粗糙度/u,
    name: 'roughness_ra_um',
    type: 'polish_defect',
    stage: 'blade_glazing',
  },
  {
    label:
      /\b(thickness|length|width|dia(meter)?|ovality|out of round|height|position|hole|holes|location)\b|位置|孔位|孔距|轴孔|厚度|长度|宽度|直径|尺寸|椭圆|宽|厚|外径|内径|孔径|高度|间距/u,
    name: 'dimension_mm',
    type: 'dimensional_error',
    stage: 'blade_stamp',
  },
];

/** Readings the other checks read: finish (gloss, roughness) and angles; hardness on another scale than HRC. */
const FINISH_OR_HARDNESS = new RegExp(
  String.raw`\b(ra|gu|gloss|hv|um)\b|µm|μm|°|粗糙度|光泽|${OTHER_HARDNESS_SCALE.source}`,
  'u',
);

/** A limit written in brackets after its readings: "(max 0.3)", "(≤0.10)", "(2.3±0.05)", "(accept 0)", "(limit 2.0)". */
const BRACKETED_LIMIT = /[(（]([^()（）]{1,40})[)）]/gu;
const UPPER_WORD =
  /^\s*(accept(ed)?|ac|limit|max(imum)?|上限|允收|允许)\s*[:=：]?\s*(\d+(?:\.\d+)?)\s*[a-z%°]*\s*$/u;

/** A bound written after its value: "0.5 mm max", "2.0 min". */
const TRAILING_BOUND = /^\s*(\d+(?:\.\d+)?)\s*[a-zµ%°]*\s*(max(imum)?|min(imum)?)\.?\s*$/u;

/** The limit a bracket or a spec phrase states: "max 0.3", "≤0.10", "2.3±0.05", "0.5 mm max", "2.0–2.6". */
export function limitOf(bracketed: string): { lower: number; upper: number } | undefined {
  // The unit before the limit: "(mm, <=0.50)", "(N, ≥500)".
  const inside = bracketed.replace(/^\s*[a-zµ%°]{1,4}\s*[,，;；]\s*/u, '');
  const upperOnly = UPPER_WORD.exec(inside);
  if (upperOnly) return { lower: Number.NEGATIVE_INFINITY, upper: Number(upperOnly[4]) };
  const trailing = TRAILING_BOUND.exec(inside);
  if (trailing)
    return trailing[2]!.startsWith('max')
      ? { lower: Number.NEGATIVE_INFINITY, upper: Number(trailing[1]) }
      : { lower: Number(trailing[1]), upper: Number.POSITIVE_INFINITY };
  const range = BARE_RANGE.exec(inside);
  if (range && Number(range[2]) > Number(range[1]))
    return { lower: Number(range[1]), upper: Number(range[2]) };
  return statedLimits(inside)[0];
}

/** A window written alone in brackets: "(3-5 N)", "(1.9–2.1 mm)", "(54~58)". */
const BARE_RANGE = /^\s*(\d+(?:\.\d+)?)\s*[a-zµ%°·]*\s*(?:-|–|~|～|to)\s*(\d+(?:\.\d+)?)\s*[a-zµ%°·]*\s*$/u;

/**
 * A limit stated without brackets after the readings it applies to: ", spec 0.5 mm max", "limit
 * ≤0.30 mm", "要求≤0.3". The phrase ends at the segment's end or a comma.
 */
const SPEC_PHRASE_LIMIT =
  /(?:^|[,，\s])(?:spec(?:ification)?|limit|tolerance|要求|标准|规格)\s*(?:is|[:=：])?\s*([^,，()（）/]{1,30}?)\s*(?=$|[,，/])/gu;

/**
 * Whether the text right after a label is readings followed by a limit in brackets, all of them
 * inside it: "ΔE: 0.4 0.6 0.9 (≤1.5)". Item numbers and counts are not readings.
 */
/**
 * A limit in brackets, a colon and only readings after it: "(≤ 1.0 mm): 0.2 0.4 0.3", "(54-58)：55.9 /
 * 56.4", or the largest of them: "(<= 0.05): max 0.04".
 */
const LIMIT_THEN_ITS_READINGS =
  /^\s*(?:[a-zδ°µ·]+\s*|\p{Script=Han}{1,3}\s*){0,4}[(（]([^()（）]{1,40})[)）]\s*[:：]?\s*(?:max(?:imum)?\.?\s*[:：=]?\s*|最大值?\s*[:：]?\s*)?((?:\d+(?:\.\d+)?\s*(?:mm|µm|um|n|°|hrc)?\s*(?:[-–~～/,，、]\s*|\s+|$))+)$/u;

/** Words of a grading rule in brackets: the class a size falls in, not a limit to keep. */
const GRADING_RULE = /缺陷|按|判|算|\b(major|minor|critical|cosmetic|defects?|reject\w*|ng|scrap)\b/u;

export function readingsWithinTheirLimit(textAfterTheLabel: string, reach = 60): boolean {
  // A bracket that states no limit ("（对 B 色板）", "(macro)") is an aside on the label.
  const afterLabel = textAfterTheLabel.replace(/[(（]([^()（）]{1,40})[)）]/gu, (bracket, inside: string) =>
    /\d/u.test(inside) && limitOf(inside.trim()) !== undefined ? bracket : ' ',
  );
  // The limit in brackets first, then the readings: "tip offset (≤ 1.0 mm): 0.3 - 0.6".
  const limitFirst = LIMIT_THEN_ITS_READINGS.exec(afterLabel);
  if (limitFirst && !GRADING_RULE.test(limitFirst[1]!)) {
    const limit = limitOf(limitFirst[1]!.trim());
    const values = [...limitFirst[2]!.matchAll(/\d+(?:\.\d+)?/gu)].map((value) => Number(value[0]));
    // The largest reading says all are inside an upper limit only.
    const largestOnly = /max|最大/u.test(
      limitFirst[0].slice(Math.max(0, limitFirst[0].indexOf(limitFirst[2]!) - 12)),
    );
    return (
      limit !== undefined &&
      (!largestOnly || !(limit.lower > 0)) &&
      values.length > 0 &&
      values.every((value) => value >= limit.lower && value <= limit.upper)
    );
  }
  const match =
    new RegExp(`^([^()（）]{0,${reach}})[(（]([^()（）]{1,40})[)）]`, 'u').exec(afterLabel) ??
    // Or after a word that sets them against it: "pitch 3.85-4.18 mm against 4.0 ± 0.2".
    /^([^()（）,，;；]{0,60}?)\s*(?:\bagainst|\bvs\.?|\bversus|对比|对照)\s+([^()（）,，;；]{1,30})/u.exec(
      afterLabel.replace(/(\d)\s*[-–~～]\s*(?=\d)/gu, '$1 '),
    );
  if (!match) return false;
  const inside = match[2]!.trim();
  // "(>5 mm 按主要缺陷)", "(> 3 mm = major)": how a size is graded, not a limit the readings keep.
  if (GRADING_RULE.test(inside)) return false;
  const limit = limitOf(inside);
  if (!limit) return false;
  const values = [
    ...match[1]!
      .replace(
        // …nor how often they were taken ("5 pcs every 2 h").
        /#\s*\d+|(?<![\d.]|\/\s*)\d+\s*(of|\/)\s*\d+(?![\d.]|\s*\/)|\d+\s*(pcs|pieces|件|把|只)|\bevery\s+\d+\s*(h|hrs?|hours?|min|mins|minutes)\b/gu,
        ' ',
      )
      .matchAll(/(?<![\w.-])(\d+(?:\.\d+)?)(?![\w.])/gu),
  ].map((value) => Number(value[1]));
  return values.length > 0 && values.every((value) => value >= limit.lower && value <= limit.upper);
}

/**
 * The check of the reading farthest outside a limit the report states, as a finding of what the
 * label names; undefined when every reading is inside it.
 */
/** Readings of a quantity the plant measures against a limit the report states. */
function quantityOutOfLimit(
  quantity: { name: string; type: ConcreteDefectType; stage: ProductionStage },
  values: readonly number[],
  limit: { lower: number; upper: number },
  stated: string,
): StandardCheck | undefined {
  return outOfStatedLimit({
    values,
    limit,
    stated,
    name: quantity.name,
    type: quantity.type,
    stages: [quantity.stage],
  });
}

function outOfStatedLimit({
  values,
  limit,
  stated,
  name,
  type,
  stages,
}: {
  values: readonly number[];
  limit: { lower: number; upper: number };
  stated: string;
  name: string;
  type: ConcreteDefectType;
  stages: ProductionStage[];
}): StandardCheck | undefined {
  const out = values.filter((value) => value < limit.lower || value > limit.upper);
  if (out.length === 0) return undefined;
  const worst = out.reduce((left, right) =>
    Math.max(right - limit.upper, limit.lower - right) > Math.max(left - limit.upper, limit.lower - left)
      ? right
      : left,
  );
  return {
    name,
    value: worst,
    limit: `as stated ("${stated}")`,
    status: worst < limit.lower ? 'below' : 'above',
    suggests_defect_types: [type],
    suggests_stages: stages,
  };
}

/** A limit on a header line: "max 0.20 mm", "(accept <= 1)", "(mm，要求 ≤0.8)", "limit 0.5", "≤ 0.3". */
const HEADER_LIMIT =
  /[(（]?[^()（）\n]{0,12}?(?:\b(?:max(?:imum)?|accept(?:ed)?|limit)\b\.?|要求|允收|上限)?\s*(?:[:=：]\s*)?(?:[≤]|<=?)?\s*(\d+(?:\.\d+)?)\s*(?:mm|µm|um|毫米)?\s*[)）]?\s*$/u;

/** A label, its limit in brackets, a colon and the readings: "ΔE vs master (≤1.5): 0.6 0.9 2.8". */
const LIMIT_THEN_READINGS =
  /^(.*?\S)\s*([(（][^()（）]{0,30}(?:≤|<=|\bmax\b|要求|\blimit\b|±)[^()（）]{0,30}[)）])\s*[:：]\s*((?:\d+(?:\.\d+)?(?:[\s,，/、]+|$)){2,})(\s*(?:[—–-]\s.*|[;；.。].*)?)$/u;

/** Readings, then a comma and another label with readings of its own. */
const ANOTHER_LABEL_READ_AFTER =
  /\d[^,，;；]*[,，]\s*[a-z\u4e00-\u9fff][a-z\u4e00-\u9fff -]{1,24}?\s*[:：=]?\s*\d/u;

/** One reading of a pasted column, with or without its item number: "0.52", "01  0.12", "#3 1.9", "7-4". */
const READING_TOKEN = /^(?:#\d+|\d+#|\d+-\d+(?:\.\d+)?|\d+(?:\.\d+)?(?:mm)?)$/u;

/**
 * A header with its limit and the readings on the lines below it ("Flatness, max 0.20 mm⏎01 0.12⏎02
 * 0.35…", "pores counted (accept <= 1)⏎1-0 2-0 3-3…", "平面度 (mm，要求 ≤0.8)⏎#1 0.5 #2 0.6…"), written
 * as the readings after the header and the limit in brackets after them. Item numbers ("01", "#3",
 * the "7" of "7-4") are not readings.
 */
const READINGS_BEFORE_THE_LIMIT = /[:：]\s*(?:\d+(?:\.\d+)?(?:\s*[,，/、]\s*|\s+))+\d+(?:\.\d+)?\s*[(（]/u;

function limitBeforeItsReadings(normalized: string): string {
  const lines = normalized
    .split('\n')
    // The same on one line: "ΔE vs master (≤1.5): 0.6 0.9 2.8", the readings after the colon.
    .map((line) =>
      line.replace(
        LIMIT_THEN_READINGS,
        (_whole, label: string, bracket: string, readings: string, rest: string) => {
          // "(mm, limit 0.3)": the unit before the limit is the label's, the limit the bracket's.
          const limit = bracket.replace(/^([(（])\s*(mm|µm|um|hrc|n|°|毫米)\s*[,，]\s*/u, '$1');
          return `${label} ${readings.trim()} ${limit}${rest}`;
        },
      ),
    );
  const out: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    // "flatness spec ≤0.5 mm (concave)": a word in brackets after the limit says which way, not a number.
    // A colon after the header introduces its readings ("offset at handle end (≤ 1.0 mm):").
    // So is a month and day after it ("点焊拉脱力（N，标准 ≥1800）7/7").
    const header = lines[index]!.replace(/\s*[(（][^()（）\d]{1,16}[)）]\s*$/u, '')
      .replace(/(?<=[)）])\s*[:：]\s*$/u, '')
      .replace(/(?<=[)）])\s*\d{1,2}\/\d{1,2}\s*$/u, '');
    // A line that carries its own readings before its limit ("开合力 N: 6.2 5.8 6.5 (规格4-8)") is a
    // row of its own, not the header of the lines under it.
    const ownRow = READINGS_BEFORE_THE_LIMIT.test(header);
    const limit = ownRow ? undefined : limitStatedOnHeader(header);
    const block: string[][] = [];
    let next = index + 1;
    for (; next < lines.length; next++) {
      const tokens = lines[next]!.trim()
        // "n=8: 1.1 1.3 …": the sample size heading the readings is not one of them; nor is the
        // place a row of readings was taken ("top: 0.18 0.22", "中层：0.6 0.7").
        .replace(/^(n|sample|样本|抽样)\s*[=:：]?\s*\d+\s*(pcs|件|把|只)?\s*[:：]\s*/u, '')
        .replace(/^[a-z\u4e00-\u9fff]{1,10}\s*[:：]\s*(?=\d)/u, '')
        // A remark in brackets after the readings ("(8/8 out)") is not one of them.
        .replace(/(?<=\d)\s*[(（][^()（）]{1,20}[)）]\s*$/u, '')
        .split(/[\s\u3000,，/]+/u)
        .filter(Boolean);
      if (tokens.length === 0 || !tokens.every((token) => READING_TOKEN.test(token))) break;
      block.push(tokens);
    }
    const stated = limit || ownRow ? undefined : standardStatedOnHeader(header);
    const values = limit || stated ? readingsOfBlock(block) : [];
    if ((!limit && !stated) || values.length < 2) {
      out.push(header);
      continue;
    }
    out.push(
      limit
        ? `${header.slice(0, limit.at).trimEnd()} ${values.join(' ')} (max ${limit.value})`
        : `${header.slice(0, stated!.at).trimEnd()} ${values.join(' ')} (${stated!.inside})`,
    );
    index = next - 1;
  }
  return out.join('\n');
}

/** The most a header line allows, when it says so with a word or a sign: "max 0.20 mm", "(accept <= 1)", "要求 ≤0.8". */
function limitStatedOnHeader(header: string): { at: number; value: number } | undefined {
  const match = HEADER_LIMIT.exec(header);
  if (!match) return undefined;
  const said = match[0];
  if (!/max|accept|limit|要求|允收|上限|≤|<(?!\s*=?\s*\d+\s*[-–])/u.test(said)) return undefined;
  // A bound of what is counted ("pores >= 0.2 mm counted") is not the limit.
  if (/≥|>=/u.test(said)) return undefined;
  const bracketAt = said.search(/[(（]/u);
  // Without brackets the limit starts at its word or sign; the words before it are the label.
  const wordAt = said.search(/\b(max|accept|limit|spec)|要求|允收|上限|≤|</u);
  return {
    at: match.index + (bracketAt >= 0 ? bracketAt : Math.max(0, wordAt)),
    value: Number(match[1]),
  };
}

/**
 * A window or a minimum a header states after a word for the standard, at its end: "锁紧牙宽 标准
 * 12.0±0.15", "pull-off force (N, spec ≥1800)", "拉脱力（标准 ≥1800）".
 */
const HEADER_STANDARD =
  /[(（]?[^()（）\n]{0,12}?(?:\b(?:spec(?:ification)?|standard|tolerance|required|requirement|min(?:imum)?)\b\.?|标准|要求|规格|公差)\s*[:=：]?\s*([^()（）\n,，;；]{1,24}?)\s*[)）]?\s*$/u;

function standardStatedOnHeader(header: string): { at: number; inside: string } | undefined {
  const match = HEADER_STANDARD.exec(header);
  if (!match || !/\d/u.test(match[1]!)) return undefined;
  const inside =
    /^\d+(?:\.\d+)?$/u.test(match[1]!.trim()) && /\bmin/u.test(match[0])
      ? `≥${match[1]!.trim()}`
      : match[1]!.trim();
  if (!limitOf(inside)) return undefined;
  const bracketAt = match[0].search(/[(（]/u);
  const wordAt = match[0].search(/spec|standard|tolerance|required|requirement|min|标准|要求|规格|公差/u);
  return { at: match.index + (bracketAt >= 0 ? bracketAt : wordAt), inside };
}

/**
 * The readings of a pasted column: "#n value" pairs and "n-value" pairs give the value; a first
 * number on every line that counts 1, 2, 3… is the item number.
 */
function readingsOfBlock(block: readonly string[][]): number[] {
  const numbered =
    block.length >= 2 &&
    block.every(
      (tokens, row) =>
        tokens.length >= 2 && /^\d+$/u.test(tokens[0]!) && Number(tokens[0]) === Number(block[0]![0]) + row,
    );
  return block.flatMap((tokens) => {
    const readings: number[] = [];
    tokens.forEach((token, position) => {
      if (token.startsWith('#') || token.endsWith('#') || (numbered && position === 0)) return;
      const pair = /^\d+-(\d+(?:\.\d+)?)$/u.exec(token);
      readings.push(Number(pair ? pair[1] : token.replace(/mm$/u, '')));
    });
    return readings;
  });
}

/**
 * What a drawing or a specification allows, said after the readings ("bow 0.7-1.1 mm; the drawing
 * allows 0.3 mm"), written as the limit in brackets after them.
 */
export function withAllowanceAsLimit(normalized: string): string {
  return (
    normalized
      // A label line ending in a colon, its readings on the next line and the limit alone on the
      // line after ("offset (mm), 10 pcs:⏎2.3 / 1.6 / 2.6⏎spec ≤ 0.5") are one statement.
      .replace(/[:：]\s*\n(?=[^\n]*\d)/gu, ': ')
      .replace(
        /\s*\n\s*(?:spec(?:ification)?|limit|tol(?:erance)?|要求|标准|规格)\s*[:：]?\s*(?:[≤<]=?|max\.?)\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*(?=\n|$)/gu,
        ' (max $1)',
      )
      // "flatness 1.4–2.2 mm vs ≤ 0.6", "against max 0.3": the bound the readings are set against.
      .replace(
        /\s+(?:vs\.?|versus|against|对比|对照)\s+(?:(?:the\s+)?(?:spec(?:ification)?|limit|drawing|要求|标准)\s*[:：]?\s*)?(?:≤|<=|<|max\.?)\s*(\d+(?:\.\d+)?)\s*(?:mm|µm|um|毫米)?/gu,
        ' (max $1)',
      )
      // "bow 0.9 mm over the blade length": where the bow is measured, not another quantity.
      .replace(/\b(over|along|across) (the )?((whole|full|entire|blade|total) )*(length|width)\b/gu, ' ')
      .replace(
        /\s*[,;，；]?\s*(?:the |your |our |customer )?(?:drawing|dwg|spec|specification|standard|requirement)s?\s+(?:only\s+)?(?:allows?|allowed|permits?|calls for)\s+(?:a\s+)?(?:max(?:imum)?\.?\s*(?:of\s+)?|up to\s+)?(\d+(?:\.\d+)?)\s*(mm|µm|um)?/gu,
        ' (max $1)',
      )
  );
}

/**
 * Readings written before the limit in brackets after them ("flatness 0.9 mm (max 0.3)", "#1 2.31
 * #2 2.52 (2.3±0.05)", "pores per bolster: 0, 3, 5 (accept 0)"): every reading is set against the
 * limit, and one outside it is a finding of what its label measures. Only readings out of their
 * limit are returned; one within it says nothing the other checks do not.
 */
export function readingsOutOfTheirLimit(normalized: string): StandardCheck[] {
  const checks: StandardCheck[] = [];
  for (const segment of withAllowanceAsLimit(limitBeforeItsReadings(normalized)).split(
    /[|;；。\n]|\.(?=\s|$)/u,
  )) {
    let from = 0;
    const limitsStated = [
      ...[...segment.matchAll(BRACKETED_LIMIT)].map((match) => ({
        at: match.index,
        end: match.index + match[0].length,
        inside: match[1]!.trim(),
      })),
      ...[...segment.matchAll(SPEC_PHRASE_LIMIT)].map((match) => ({
        at: match.index,
        end: match.index + match[0].length,
        // "limit 0.5": a bare number after the word limit is the most allowed.
        inside:
          /\blimit\b/u.test(match[0]) && /^\d+(\.\d+)?\s*(mm|µm|um)?$/u.test(match[1]!.trim())
            ? `max ${match[1]!.trim()}`
            : match[1]!.trim(),
      })),
    ].sort((left, right) => left.at - right.at);
    for (const match of limitsStated) {
      if (match.at < from) continue;
      // A unit in brackets after a label ("blade gap (mm): 0.05 / 0.22") is part of the label.
      if (/^(mm|µm|um|μm|hrc|icp|°|deg|n·?m|nm|gu|%|毫米)$/u.test(match.inside)) continue;
      const before = segment.slice(from, match.at);
      from = match.end;
      const inside = match.inside;
      const limit = limitOf(inside);
      if (!limit) continue;
      // The last label before the limit names the readings, which follow it; of words side by side
      // ("rivet height"), the more specific quantity.
      const hits = LABELLED_QUANTITIES.flatMap((candidate, rank) =>
        [...before.matchAll(new RegExp(candidate.label.source, 'gu'))].map((hit) => ({
          candidate,
          rank,
          at: hit.index,
        })),
      );
      const last = Math.max(...hits.map((hit) => hit.at));
      // Words side by side, with no reading between them ("rivet height"), name one quantity; a label
      // with readings after it before the last one ("硬度 56.5，平面度 0.15") names another.
      const labelled = hits
        .filter(
          (hit) =>
            hit.at >= last - 15 &&
            !/\d/.test(before.slice(hit.at, last)) &&
            // A unit after its number ("57.0 HRC") closes the readings before it.
            !(hit.at < last && /\d\s*$/.test(before.slice(0, hit.at))),
        )
        .sort((left, right) => left.rank - right.rank)[0];
      if (!labelled || FINISH_OR_HARDNESS.test(before.slice(labelled.at))) continue;
      // Another quantity named with its own readings after this one's ("opening force 2.0-2.6 N, side
      // play 0.05-0.08 mm (<= 0.15)"): the limit is that quantity's.
      if (ANOTHER_LABEL_READ_AFTER.test(before.slice(labelled.at))) continue;
      // A rivet's or a screw's own size ("铆钉 … 长度 实测 12.5（图纸 12.0 ±0.1）") is the fastener the
      // assembly was made with, read where it was set.
      const quantity =
        labelled.candidate.name === 'dimension_mm' &&
        /\b(rivets?|screws?)\b(?!\s*holes?)|(铆钉|螺钉|螺丝)(?!孔)/u.test(segment.slice(0, match.at))
          ? LABELLED_QUANTITIES.find((candidate) => candidate.name === 'assembly_offset_mm')!
          : labelled.candidate;
      // The readings: numbers after the label, without item numbers ("#2"), counts of parts ("3 of
      // 50") and numbers of codes ("WK-CI-200").
      const values = [
        ...before
          .slice(labelled.at)
          // The length a flatness or a bow is read over ("1.2-1.9 mm over 200 mm") is no reading.
          .replace(/(\d\s*(?:mm|µm|um)\s+)(?:over|across|along|per)\s+(?:a\s+)?\d+(?:\.\d+)?\s*mm\b/gu, '$1 ')
          .replace(
            /#\s*\d+|(?<![\d.]|\/\s*)\d+\s*(of|\/)\s*\d+(?![\d.]|\s*\/)|\d+\s*(pcs|pieces|件|把|只|个|支|套|片|台)|(抽|抽样|抽检|抽查|抽测|sampled)\s*\d+|\b(at|under|with|after|of)\s+\d+(\.\d+)?\s*(n\s*·?\s*m|nm|n|kn|kgf?)(?![a-z])(\s+(torque|load|force))?|\b(on|across)\s+(all\s+|the\s+|each\s+)?\d+(?![\d.])(?!\s*(mm|µm|um|hrc|°|%|\/|of\b))|\b(all|every|each)\s+\d+(?![\d.])(?!\s*(mm|µm|um|hrc|°|%|\/|of\b))/gu,
            ' ',
          )
          // A unit written onto its reading ("1.2mm") is still a reading.
          .replace(/(\d)(mm|µm|μm|um|毫米)(?![a-z])/gu, '$1 $2')
          .matchAll(/(?<![\w.-])(\d+(?:\.\d+)?)(?![\w.])/gu),
      ].map((value) => Number(value[1]));
      // A reading written before what it falls short of ("0.8 mm out of flat (max 0.3)"): the one
      // reading with its unit right before "out of" and the label.
      if (values.length === 0) {
        const ahead = /(\d+(?:\.\d+)?)\s*(mm|µm|um|毫米)\s+(out of|off|not)\s+$/u.exec(
          before.slice(0, labelled.at),
        );
        if (ahead) values.push(Number(ahead[1]));
      }
      // One limit for each reading, in order ("X 12.02 / Y 35.48 (12.0±0.05 / 35.5±0.05)"): each
      // reading against its own; a count of readings that does not match them leaves them unread.
      const eachLimit = inside.split(/\s*[/;；]\s*/u).map((part) => limitOf(part));
      if (eachLimit.length > 1 && eachLimit.every((part) => part !== undefined)) {
        if (values.length !== eachLimit.length) continue;
        const outOfItsOwn = values.findIndex(
          (value, index) => value < eachLimit[index]!.lower || value > eachLimit[index]!.upper,
        );
        if (outOfItsOwn >= 0) {
          const check = quantityOutOfLimit(quantity, [values[outOfItsOwn]!], eachLimit[outOfItsOwn]!, inside);
          if (check) checks.push(check);
        }
        continue;
      }
      const check = quantityOutOfLimit(quantity, values, limit, inside);
      if (check) checks.push(check);
    }
  }
  return checks;
}

/** Column headers of a pasted table that name a quantity the plant's standards hold. */
const STANDARD_COLUMNS: ReadonlyArray<[RegExp, 'hardness_hrc' | 'sharpness_icp']> = [
  [/^(hrc|hardness( hrc)?|硬度( hrc)?)$/u, 'hardness_hrc'],
  [/^(icp|sharpness( icp)?|catra( icp)?|锋利度( icp)?)$/u, 'sharpness_icp'],
];

/**
 * Readings in the columns of a pasted table whose header names hardness or sharpness ("Lot | HRC
 * | ICP", then one row per lot), set against the plant's standards: the worst reading of each
 * column out of them is a finding. Only readings out of the standard are returned.
 */
export function tableColumnsOutOfStandard(normalized: string): StandardCheck[] {
  const rows = normalized
    .split('\n')
    .filter((line) => line.includes('|'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  // A header is a row of labels; a row naming hardness beside its readings ("Hardness HRC | 54-58 |
  // 55.4-57.1") is a row of a sheet of items, not the head of a column.
  const headerAt = rows.findIndex(
    (cells) =>
      cells.some((cell) => STANDARD_COLUMNS.some(([header]) => header.test(cell))) &&
      !cells.some((cell) => /^[<>≤≥=~\s]*\d/u.test(cell)),
  );
  if (headerAt < 0) return [];
  const checks: StandardCheck[] = [];
  rows[headerAt]!.forEach((cell, column) => {
    const name = STANDARD_COLUMNS.find(([header]) => header.test(cell))?.[1];
    if (!name) return;
    const findings = rows
      .slice(headerAt + 1)
      .filter((cells) => !LIMITS_ROW.test(cells[0] ?? ''))
      .flatMap((cells) => [...(cells[column] ?? '').matchAll(/(?<![\w.-])(\d+(?:\.\d+)?)(?![\w.])/gu)])
      .flatMap((match) => checkMeasurements({ [name]: Number(match[1]) }))
      .filter((finding) => finding.status !== 'within');
    // The reading farthest out: from the middle of the hardness window, the lowest sharpness.
    const distance = (value: number): number => (name === 'hardness_hrc' ? Math.abs(value - 56) : -value);
    const worst = findings.reduce<(typeof findings)[number] | undefined>(
      (left, right) => (left === undefined || distance(right.value) > distance(left.value) ? right : left),
      undefined,
    );
    if (worst)
      checks.push({
        name: worst.measurement,
        value: worst.value,
        limit: worst.limit,
        status: worst.status,
        suggests_defect_types: worst.suggests_defect_types,
        suggests_stages: worst.suggests_stages,
      });
  });
  return checks;
}

/** A line of a sheet that states the limit of the readings under it: "limit: ≤0.30 mm", "spec 2.0–2.6", "要求 ≤0.3". */
const SHEET_LIMIT_LINE =
  /^\s*(limit|limits|spec|specification|tolerance|requirement|required|allowed|acceptance|要求|标准|规格|公差|允许)\b[^:：\d]{0,20}[:：=]\s*(.{1,40})$/u;

/** A row of a sheet that holds one reading after a short position or item label: "B2 0.52", "#3 | 0.44 mm". */
const SHEET_ROW =
  /^\s*([a-z]{0,4}\s*#?\s*\d{0,3}[a-z]?)\s*[|:：,\t ]\s*(\d+(?:\.\d+)?)\s*(mm|µm|um|毫米)?\s*\|?\s*$/u;

/**
 * Readings of a sheet whose limit is stated once above its rows ("limit: ≤0.30 mm", then "A1 0.12",
 * "B2 0.52", …): each row's reading is set against that limit, and the quantity is the one the
 * limit line, the column header under it or the sheet's title names, nearest first. Only readings
 * out of the limit are returned, the farthest out of each sheet.
 */
export function sheetRowsOutOfTheirLimit(normalized: string): StandardCheck[] {
  const lines = normalized.split('\n');
  const checks: StandardCheck[] = [];
  lines.forEach((line, at) => {
    const limitLine = SHEET_LIMIT_LINE.exec(line);
    if (!limitLine) return;
    const inside = limitLine[2]!.trim();
    const limit = limitOf(inside);
    if (!limit) return;
    const values: number[] = [];
    const headers: string[] = [];
    for (const row of lines.slice(at + 1)) {
      const reading = SHEET_ROW.exec(row);
      if (reading) values.push(Number(reading[2]));
      else if (values.length === 0 && !/\d/.test(row)) headers.push(row);
      else break;
    }
    if (values.length < 2) return;
    const named = [line, ...headers, ...lines.slice(0, at).reverse()]
      .map((text) => LABELLED_QUANTITIES.find((candidate) => candidate.label.test(text)))
      .find((candidate) => candidate !== undefined);
    if (!named) return;
    const check = quantityOutOfLimit(named, values, limit, inside);
    if (check) checks.push(check);
  });
  return checks;
}

/** The header of a sheet whose last column counts the parts rejected: "min max NG", "| 不良数 |". */
const REJECTS_COLUMN_HEADER =
  /\S\s+(\|\s*)?(ng|nok|ng qty|rejects?|rej|不良|不良数|不良品|不合格数)\s*\|?\s*$/u;

/** A row's last cell: its count of rejects, with the sample it was counted on ("0 (n=5)"). */
const REJECTS_CELL = /(^|\s|\|)(\d+)\s*([(（]\s*n\s*=\s*\d+\s*[)）])?\s*\|?\s*$/u;

/**
 * A sheet with a column of rejects, its lines numbered from 0: the header lines ("项目 / spec   min
 * max   NG"), where "NG" names the column, not a verdict; and the rows whose rejects are 0 ("外观
 * rust / crack / sand   -   -   0"), whose defect words are the items checked, not findings.
 */
export function rejectsColumns(normalized: string): { headers: Set<number>; noneRejected: Set<number> } {
  const headers = new Set<number>();
  const noneRejected = new Set<number>();
  const lines = normalized.split('\n');
  lines.forEach((line, at) => {
    if (!REJECTS_COLUMN_HEADER.test(line) || /\d/u.test(line.replace(/\b[a-z]+\d+\b/gu, ''))) return;
    let rows = 0;
    for (let row = at + 1; row < lines.length; row += 1) {
      const cell = REJECTS_CELL.exec(lines[row]!);
      if (!cell) break;
      rows += 1;
      if (Number(cell[2]) === 0) noneRejected.add(row);
    }
    if (rows >= 2) headers.add(at);
    else for (let row = at + 1; row <= at + rows; row += 1) noneRejected.delete(row);
  });
  return { headers, noneRejected };
}
