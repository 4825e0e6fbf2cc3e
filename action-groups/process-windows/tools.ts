import type { z } from 'zod';
import {
  CONCRETE_DEFECT_TYPES,
  DEFECT_TYPE_DETAILS,
  ProductionStage,
  QUALITY_STANDARDS,
  STAGE_DETAILS,
  type ConcreteDefectType,
  type EscapePoint,
  type ProcessStep,
} from '../../domain/index.ts';
import { defineTool, type ActionGroup } from '../action-group.ts';
import { preferSection, quotePassage } from '../passages.ts';
import {
  type CheckedMeasurements,
  CheckMeasurementsInput,
  CheckMeasurementsOutput,
  GetProcessWindowInput,
  GetProcessWindowOutput,
  type MeasurementFinding,
} from './schema.ts';

/** One controlled parameter of a process step. */
export interface ProcessParameter {
  name: string;
  target: string;
  limits: string;
  unit: string;
}

/** Labels of the two escape points, which are not production stages. */
const ESCAPE_POINT_LABELS: Record<EscapePoint, string> = {
  inspection: 'Final inspection (escape point)',
  packaging: 'Packaging (escape point)',
};

/** The human-readable label of a production stage or escape point. */
export function processStepLabel(step: ProcessStep): string {
  if (step === 'inspection' || step === 'packaging') return ESCAPE_POINT_LABELS[step];
  return STAGE_DETAILS[step].label;
}

function parameter(name: string, target: string, limits: string, unit: string): ProcessParameter {
  return { name, target, limits, unit };
}

/**
 * The process window of every step, taken from the stage SOPs (SOP-XX-01..03 "Process window"
 * sections) and the plant quality standards.
 */
export const PROCESS_WINDOWS: Record<ProcessStep, readonly ProcessParameter[]> = {
  blade_stamp: [
    parameter('Strip thickness (WK-KN-200)', '2.5', '± 0.05', 'mm'),
    parameter('Press force (WK-KN-200)', '420', 'alarm at 480', 'kN'),
    parameter('Stroke rate (WK-KN-200)', '40', '35-45', 'strokes/min'),
    parameter('Die clearance per side', '6', '5-7', '% of strip thickness'),
    parameter('Burr height', '≤ 0.08 (WK-KN-200), ≤ 0.06 (others)', 'max 0.08', 'mm'),
    parameter('Outline tolerance', '± 0.15 (WK-KN-200), ± 0.10 (others)', 'drawing tolerance', 'mm'),
    parameter('Strip hardness on arrival', 'annealed', '≤ 255 (1.4116), ≤ 245 (1.4034)', 'HB'),
    parameter(
      'Die regrind interval',
      '60,000 (1.4116) / 75,000 (1.4034)',
      'earlier if press force trend +10 %',
      'hits',
    ),
  ],
  bolster_welding: [
    parameter('Welding current (WK-KN-200)', '95', '90-100', 'A'),
    parameter('Welding current (WK-KN-150)', '80', '75-85', 'A'),
    parameter('Travel speed', '250', '230-270', 'mm/min'),
    parameter('Torch gas flow (argon 99.996 %)', '10', '8-12', 'L/min'),
    parameter('Back purge (trailing shield)', '6', '5-8', 'L/min'),
    parameter('Post-flow', '5', '≥ 4', 's'),
    parameter('Arc length', '1.5', '1.2-1.8', 'mm'),
    parameter('Bolster position to drawing', '0', '± 0.3', 'mm'),
    parameter('Heat tint after pickling', 'silver to light straw', 'blue, grey or black = reject', '-'),
  ],
  back_edge_polishing: [
    parameter('Belt 1 (P120 zirconia) speed', '28', '-', 'm/s'),
    parameter('Belt 1 contact pressure', '30', '25-35', 'N'),
    parameter('Belt 3 (P400 structured) contact pressure', '17', '15-20', 'N'),
    parameter('Spine radius (WK-KN-200)', '0.8', '± 0.2', 'mm'),
    parameter('Spine finish Ra', '0.6', '0.4-0.8', 'µm'),
    parameter('Belt life (P120 / P240 / P400)', '400 / 600 / 800', 'or earlier if glazed', 'blades'),
    parameter('Dust extraction airflow at hood face', '18', '≥ 18', 'm/s'),
  ],
  taper_grinding: [
    parameter('Wheel surface speed (A60 vitrified)', '30', '28-32', 'm/s'),
    parameter('Infeed per pass, roughing', '0.05', '≤ 0.08', 'mm'),
    parameter('Infeed per pass, finishing', '0.02', '≤ 0.03', 'mm'),
    parameter('Traverse speed', '1.5', '1.2-1.8', 'm/min'),
    parameter('Edge land thickness before heat treatment', '0.40', '0.30-0.50', 'mm'),
    parameter('Flank symmetry (left vs right at 5 mm)', '0', '≤ 0.05', 'mm'),
    parameter('Coolant concentration', '5', '4-6', '%'),
    parameter('Coolant flow per wheel head', '20', '≥ 20', 'L/min'),
  ],
  heat_treatment: [
    parameter('Austenitising temperature (1.4116)', '1045', '± 10, never above 1060', '°C'),
    parameter('Austenitising temperature (1.4034)', '1020', '± 10, never above 1060', '°C'),
    parameter('Soak after load thermocouple reaches set point', '12', '10-20', 'min'),
    parameter('N2 partial pressure during austenitising', '1.5', '1-2', 'mbar'),
    parameter('Delay from quench to first temper', '≤ 2', 'max 2', 'h'),
    parameter('Tempering temperature (knives)', '180', '170-190, 2 × 2 h', '°C'),
    parameter(
      'Hardness after tempering',
      '56 ± 1',
      `${QUALITY_STANDARDS.hardnessHrc.min}-${QUALITY_STANDARDS.hardnessHrc.max}, spread ≤ 2.0 per load`,
      'HRC',
    ),
    parameter('Prior austenite grain size', 'ASTM No. 9 or finer', 'No. 7 or coarser = reject', 'ASTM E112'),
  ],
  vacuum_quench: [
    parameter(
      'Chamber leak rate (cold, empty, first run of day)',
      '≤ 2×10⁻³',
      'action > 3×10⁻³, no run > 5×10⁻³',
      'mbar·l/s',
    ),
    parameter('Vacuum before heating', '≤ 1×10⁻²', 'abort > 5×10⁻²', 'mbar'),
    parameter('Quench pressure (N2 99.999 %)', '6', '≥ 5.5, reject < 5', 'bar abs'),
    parameter('Cooling time 1000 → 600 °C (load thermocouple)', '≤ 120', '121-150 hold, > 150 reject', 's'),
    parameter('Quench gas dew point', '≤ -60', 'max -60', '°C'),
    parameter(
      'Salt spray (ISO 9227 NSS) without rust',
      String(QUALITY_STANDARDS.saltSprayHoursWithoutRust),
      '96 h early read, 1000 h confirmation',
      'h',
    ),
    parameter('Blade bow after quench and temper (WK-KN-200)', '0', '≤ 0.30', 'mm'),
  ],
  handle_injection: [
    parameter('Melt temperature (POM)', '200', '190-210', '°C'),
    parameter('Mould surface temperature (POM)', '90', '80-100, stop below 75', '°C'),
    parameter('Injection pressure (peak)', '90', '80-110', 'MPa'),
    parameter('Hold pressure', '65', '55-75', 'MPa'),
    parameter('Hold time', '12', '10-15', 's'),
    parameter('Cooling time', '25', '≥ 22', 's'),
    parameter('POM drying', '80 °C for 3 h', 'moisture ≤ 0.15 %, dew point ≤ -40 °C', '-'),
  ],
  rivet_assembly: [
    parameter('Setting force (WK-KN-200)', '14', '12-16', 'kN'),
    parameter('Setting force (WK-KN-150)', '11', '9.5-12.5', 'kN'),
    parameter('Rivet head height after setting', '0.15 proud', '± 0.05', 'mm'),
    parameter('Scale-to-tang edge step', '0', '≤ 0.2', 'mm'),
    parameter('Handle-blade misalignment', '0', '≤ 2 (above 2 = major)', 'mm'),
    parameter('Locating pin diameter', '3.98', 'replace below 3.95', 'mm'),
    parameter('Fixture clamping force', '200', '± 30', 'N'),
  ],
  handle_polishing: [
    parameter('Rivet flushing contact force (P180 belt, 18 m/s)', '≤ 15', 'max 15', 'N'),
    parameter('Rivet head flush to scale', '0', '± 0.05', 'mm'),
    parameter('Contact time per rivet', '≤ 4', 'max 4', 's'),
    parameter('Buffing wheel speed (Ø 300 mm cotton)', '1400', 'about 22 m/s', 'rpm'),
    parameter('Handle surface temperature after buffing', '≤ 60', 'max 60', '°C'),
  ],
  blade_glazing: [
    parameter('Buff speed (sisal / cotton)', '30', '-', 'm/s'),
    parameter('Contact force, sisal + brown compound', '35', '30-40', 'N'),
    parameter('Mirror finish Ra', '≤ 0.05', 'max 0.05', 'µm'),
    parameter('Mirror gloss at 20°', '≥ 1200', 'min 1200', 'GU'),
    parameter('Satin finish Ra', '0.4', '0.3-0.5', 'µm'),
    parameter('Blade temperature after any step', '≤ 80', 'max 80', '°C'),
    parameter(
      'Scratch length (not felt with fingernail)',
      '≤ 5, max 1 per side (mirror)',
      '> 5 = reject (major)',
      'mm',
    ),
  ],
  cutting_edge_honing: [
    parameter('Edge angle per side (knives)', '15', `± ${QUALITY_STANDARDS.edgeAngleToleranceDeg}`, '°'),
    parameter('Bevel width (WK-KN-200 / WK-KN-150)', '1.2', '1.0-1.4', 'mm'),
    parameter('Sharpness (CATRA ICP)', '60', `> ${QUALITY_STANDARDS.sharpnessIcpMin}`, 'ICP'),
    parameter('Edge straightness (apex vs nominal line)', '0', '≤ 0.15', 'mm'),
    parameter('Coolant flow per grinding head', '≥ 15', 'grinding stops below 12', 'L/min'),
    parameter('Grinding infeed per pass', '≤ 0.015', 'max 0.015', 'mm'),
    parameter('Micro-hardness 0.3 mm from apex', '≥ 577', 'min 577 (about 54 HRC)', 'HV0.5'),
  ],
  logo_print: [
    parameter('Surface energy of print zone (dyne pen)', '≥ 38', 'min 38', 'mN/m'),
    parameter('Time from pre-clean to print', '≤ 30', 'max 30', 'min'),
    parameter('Cliché etch depth', '22', '20-24', 'µm'),
    parameter('Ink pot life after mixing', '≤ 8', 'max 8', 'h'),
    parameter('Cure (blades)', '150 °C for 20 min', '-', '-'),
    parameter('Print room climate', '23 °C, 50 % RH', '20-26 °C, 40-60 % RH', '-'),
  ],
  inspection: [
    parameter(
      'Hardness',
      '56',
      `${QUALITY_STANDARDS.hardnessHrc.min}-${QUALITY_STANDARDS.hardnessHrc.max}`,
      'HRC',
    ),
    parameter('Sharpness (CATRA ICP)', '60', `> ${QUALITY_STANDARDS.sharpnessIcpMin}`, 'ICP'),
    parameter('Edge angle', 'nominal (15 for knives)', `± ${QUALITY_STANDARDS.edgeAngleToleranceDeg}`, '°'),
    parameter(
      'Salt spray without rust',
      String(QUALITY_STANDARDS.saltSprayHoursWithoutRust),
      'min 1000',
      'h',
    ),
    parameter('Lighting at the part (neutral white 5,000-6,500 K)', '1100', '1000-1200', 'lux'),
    parameter('Sampling AQL (major / minor); critical Ac 0', '0.65 / 2.5', 'ISO 2859-1, level II', '%'),
    parameter(
      'Plant defect rate',
      `≤ ${QUALITY_STANDARDS.defectRateTargetPercent}`,
      `max ${QUALITY_STANDARDS.defectRateTargetPercent}`,
      '%',
    ),
  ],
  packaging: [
    parameter('Packing room temperature', '23', '18-28', '°C'),
    parameter('Packing room relative humidity', '≤ 55', 'packing stops above 60', '%'),
    parameter('VCI paper age', '≤ 12 months from manufacture', 'within 30 days of opening the ream', '-'),
    parameter('Desiccant per export carton (sea freight)', '2 × 10', '-', 'g'),
    parameter('Glove change interval (nitrile)', '≤ 2', 'and after breaks', 'h'),
  ],
};

/** The concrete defect types that usually originate at a step (none for the escape points). */
export function typicalDefects(step: ProcessStep): ConcreteDefectType[] {
  return CONCRETE_DEFECT_TYPES.filter((type) =>
    (DEFECT_TYPE_DETAILS[type].originStages as readonly string[]).includes(step),
  );
}

/** `get_process_window`: the parameter window of a step, its typical defects and SOP passages. */
export const getProcessWindowTool = defineTool({
  name: 'get_process_window',
  description:
    'Returns the process window of a production stage (or of the inspection / packaging escape points): ' +
    'the controlled parameters with target and limits, the defect types that usually originate there, ' +
    'and the SOP "Process window" passages to cite.',
  input: GetProcessWindowInput,
  output: GetProcessWindowOutput,
  handler: async ({ stage }, context) => {
    const label = processStepLabel(stage);
    const retrieved = await context.knowledgeBase.retrieve({
      query: `process window ${label}`,
      k: 10,
      filter: { doc_type: 'sop', stage },
      signal: context.signal,
    });
    const productionStage = ProductionStage.safeParse(stage);
    return {
      stage,
      order: productionStage.success ? STAGE_DETAILS[productionStage.data].order : null,
      label,
      parameters: PROCESS_WINDOWS[stage].map((entry) => ({ ...entry })),
      typical_defects: typicalDefects(stage),
      passages: preferSection(retrieved, 'Process window').slice(0, 3).map(quotePassage),
    };
  },
});

type CheckedValues = z.output<typeof CheckedMeasurements>;

function hardnessFinding(value: number): MeasurementFinding {
  const { min, max } = QUALITY_STANDARDS.hardnessHrc;
  const limit = `${min}-${max} HRC`;
  if (value < min)
    return {
      measurement: 'hardness_hrc',
      value,
      limit,
      status: 'below',
      implication: `Soft blade (${value} HRC < ${min}): slow or incomplete quench, low austenitising temperature or over-tempering.`,
      suggests_defect_types: ['heat_treatment_defect'],
      suggests_stages: ['heat_treatment', 'vacuum_quench'],
    };
  if (value > max)
    return {
      measurement: 'hardness_hrc',
      value,
      limit,
      status: 'above',
      implication: `Over-hard or under-tempered blade (${value} HRC > ${max}): brittle edge that chips; check the temper cycle and for overheating (coarse grain).`,
      suggests_defect_types: ['blade_chip', 'heat_treatment_defect'],
      suggests_stages: ['heat_treatment'],
    };
  return {
    measurement: 'hardness_hrc',
    value,
    limit,
    status: 'within',
    implication: `Hardness ${value} HRC is within ${limit}: heat treatment is not indicated by hardness.`,
    suggests_defect_types: [],
    suggests_stages: [],
  };
}

function edgeAngleFinding(value: number, nominal: number): MeasurementFinding {
  const tolerance = QUALITY_STANDARDS.edgeAngleToleranceDeg;
  const limit = `${nominal} ± ${tolerance}°`;
  const deviation = Number((value - nominal).toFixed(2));
  if (Math.abs(deviation) > tolerance)
    return {
      measurement: 'edge_angle_deg',
      value,
      limit,
      status: deviation < 0 ? 'below' : 'above',
      implication: `Edge angle ${value}° is ${Math.abs(deviation)}° off nominal ${nominal}°: uneven bevel from taper grinding or the honing fixture / wheel.`,
      suggests_defect_types: ['edge_irregularity'],
      suggests_stages: ['taper_grinding', 'cutting_edge_honing'],
    };
  return {
    measurement: 'edge_angle_deg',
    value,
    limit,
    status: 'within',
    implication: `Edge angle ${value}° is within ${limit}.`,
    suggests_defect_types: [],
    suggests_stages: [],
  };
}

function sharpnessFinding(value: number): MeasurementFinding {
  const min = QUALITY_STANDARDS.sharpnessIcpMin;
  if (value < min)
    return {
      measurement: 'sharpness_icp',
      value,
      limit: `> ${min} ICP (CATRA)`,
      status: 'below',
      implication: `Dull edge (${value} ICP < ${min}): incomplete honing, burr left on, or a soft / burned edge.`,
      suggests_defect_types: ['edge_irregularity'],
      suggests_stages: ['cutting_edge_honing'],
    };
  return {
    measurement: 'sharpness_icp',
    value,
    limit: `> ${min} ICP (CATRA)`,
    status: 'within',
    implication: `Sharpness ${value} ICP meets the CATRA standard.`,
    suggests_defect_types: [],
    suggests_stages: [],
  };
}

function saltSprayFinding(value: number): MeasurementFinding {
  const min = QUALITY_STANDARDS.saltSprayHoursWithoutRust;
  if (value < min)
    return {
      measurement: 'salt_spray_hours',
      value,
      limit: `${min} h without rust`,
      status: 'below',
      implication: `Rust after ${value} h of salt spray (< ${min} h): chromium carbides from a slow vacuum quench (chamber leak, seal wear, low gas pressure).`,
      suggests_defect_types: ['rust_spot'],
      suggests_stages: ['vacuum_quench'],
    };
  return {
    measurement: 'salt_spray_hours',
    value,
    limit: `${min} h without rust`,
    status: 'within',
    implication: `${value} h of salt spray meets the ${min} h corrosion standard.`,
    suggests_defect_types: [],
    suggests_stages: [],
  };
}

function defectSizeFinding(value: number): MeasurementFinding {
  const scratch =
    value > 5
      ? 'a blade_scratch of this size is major (> 5 mm)'
      : 'a blade_scratch of this size is minor (≤ 5 mm)';
  const misalignment =
    value > 2
      ? 'an assembly_misalignment of this size is major (> 2 mm)'
      : 'an assembly_misalignment of this size is minor (≤ 2 mm)';
  return {
    measurement: 'defect_size_mm',
    value,
    limit: 'severity thresholds: 5 mm for scratches, 2 mm for misalignment',
    status: 'within',
    implication: `${value} mm: ${scratch}; ${misalignment}.`,
    suggests_defect_types: [],
    suggests_stages: [],
  };
}

/** Compares each given measurement with the plant quality standards. */
export function checkMeasurements(input: CheckedValues): MeasurementFinding[] {
  const findings: MeasurementFinding[] = [];
  if (input.hardness_hrc !== undefined) findings.push(hardnessFinding(input.hardness_hrc));
  if (input.edge_angle_deg !== undefined)
    findings.push(edgeAngleFinding(input.edge_angle_deg, input.nominal_edge_angle_deg ?? 15));
  if (input.sharpness_icp !== undefined) findings.push(sharpnessFinding(input.sharpness_icp));
  if (input.salt_spray_hours !== undefined) findings.push(saltSprayFinding(input.salt_spray_hours));
  if (input.defect_size_mm !== undefined) findings.push(defectSizeFinding(input.defect_size_mm));
  return findings;
}

/** `check_measurements`: measurements against the standards, with what a deviation points to. */
export const checkMeasurementsTool = defineTool({
  name: 'check_measurements',
  description:
    'Compares measurements with the plant standards (hardness 54-58 HRC, edge angle nominal ± 2°, CATRA ' +
    '> 50 ICP, salt spray 1000 h without rust, size thresholds 5 mm / 2 mm) and says, for each, whether it ' +
    'is within, below or above, what that implies, and which defect types and stages it points to. ' +
    "Give the values in measurements, named as in the report's measurements.",
  input: CheckMeasurementsInput,
  output: CheckMeasurementsOutput,
  handler: async ({ measurements }) => {
    const findings = checkMeasurements(measurements);
    return { findings, out_of_spec: findings.some((finding) => finding.status !== 'within') };
  },
});

/** The process-windows action group: what the process should be and whether measurements meet it. */
export const processWindowsGroup: ActionGroup = {
  name: 'process-windows',
  description:
    'Process windows of the 12 production stages and the escape points, and a check of measurements against the plant standards.',
  tools: [getProcessWindowTool, checkMeasurementsTool],
};
