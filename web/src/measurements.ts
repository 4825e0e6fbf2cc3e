/** A measurement the form offers, with its unit and the plant's specification. */
export interface MeasurementField {
  key: string;
  label: { en: string; zh: string };
  unit: string;
  min?: number;
  max?: number;
  spec?: string;
}

/** The known measurements and their specification limits (the plant's quality standards). */
export const MEASUREMENT_FIELDS: readonly MeasurementField[] = [
  {
    key: 'hardness_hrc',
    label: { en: 'Hardness', zh: '硬度' },
    unit: 'HRC',
    min: 54,
    max: 58,
    spec: '54–58 HRC',
  },
  {
    key: 'sharpness_icp',
    label: { en: 'Sharpness (ICP)', zh: '锋利度 (ICP)' },
    unit: 'mm',
    min: 50,
    spec: '≥ 50',
  },
  {
    key: 'edge_angle_deg',
    label: { en: 'Edge angle per side', zh: '单边刃角' },
    unit: '°',
    spec: '± 2° of drawing',
  },
  { key: 'defect_size_mm', label: { en: 'Defect size', zh: '缺陷尺寸' }, unit: 'mm' },
  {
    key: 'salt_spray_hours',
    label: { en: 'Salt spray before rust', zh: '盐雾至生锈' },
    unit: 'h',
    min: 1000,
    spec: '≥ 1000 h',
  },
];

/** Whether a measured value is outside its specification. */
export function outOfSpec(field: MeasurementField, value: number): boolean {
  return (field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max);
}
