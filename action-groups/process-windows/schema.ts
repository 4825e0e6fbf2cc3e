import { z } from 'zod';
import { ConcreteDefectType, ProcessStep, ProductionStage } from '../../domain/index.ts';

/** A passage quoted by a tool, citable by its chunk id. */
export const QuotedPassage = z.object({
  chunk_id: z.string(),
  source_id: z.string(),
  title: z.string(),
  section: z.string(),
  text: z.string(),
  score: z.number(),
});
export type QuotedPassage = z.infer<typeof QuotedPassage>;

/** Input of `get_process_window`. */
export const GetProcessWindowInput = z.object({
  stage: ProcessStep.describe('Production stage, or inspection / packaging'),
});

/** Output of `get_process_window`. */
export const GetProcessWindowOutput = z.object({
  stage: ProcessStep,
  order: z.number().int().nullable().describe('Position in the 12-stage line; null for escape points'),
  label: z.string(),
  parameters: z.array(
    z.object({ name: z.string(), target: z.string(), limits: z.string(), unit: z.string() }),
  ),
  typical_defects: z.array(ConcreteDefectType),
  passages: z.array(QuotedPassage).describe('The SOP process-window sections of this stage'),
});

/** The measurements `check_measurements` compares, named as in the inspection report. */
export const CheckedMeasurements = z
  .object({
    hardness_hrc: z.number().min(0).max(80).optional().describe('Rockwell C hardness'),
    edge_angle_deg: z.number().min(0).max(90).optional().describe('Edge angle per side'),
    nominal_edge_angle_deg: z
      .number()
      .min(0)
      .max(90)
      .optional()
      .describe('Drawing edge angle; 15 by default'),
    sharpness_icp: z.number().min(0).max(1000).optional().describe('CATRA sharpness'),
    salt_spray_hours: z
      .number()
      .min(0)
      .max(10_000)
      .optional()
      .describe('Hours in salt spray when rust appeared'),
    defect_size_mm: z.number().min(0).max(1000).optional().describe('Largest dimension of the defect'),
  })
  .describe("The measured values, named as in the report's measurements; give only those measured.");

/** Input of `check_measurements`. */
export const CheckMeasurementsInput = z.object({ measurements: CheckedMeasurements });

/** One measurement compared with its standard. */
export const MeasurementFinding = z.object({
  measurement: z.string(),
  value: z.number(),
  limit: z.string(),
  status: z.enum(['within', 'below', 'above']),
  implication: z.string(),
  suggests_defect_types: z.array(ConcreteDefectType),
  suggests_stages: z.array(ProductionStage),
});
export type MeasurementFinding = z.infer<typeof MeasurementFinding>;

/** Output of `check_measurements`. */
export const CheckMeasurementsOutput = z.object({
  findings: z.array(MeasurementFinding),
  out_of_spec: z.boolean(),
});
