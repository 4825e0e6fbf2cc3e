import { z } from 'zod';
import { Facility, ProductSku } from './vocabulary.ts';

/** Measurements taken on the defective part. Known keys are typed; others are kept as numbers. */
export const Measurements = z
  .object({
    hardness_hrc: z.number().min(0).max(80).optional().describe('Rockwell C hardness (spec 54-58)'),
    edge_angle_deg: z.number().min(0).max(90).optional().describe('Edge angle per side in degrees'),
    sharpness_icp: z.number().min(0).max(1000).optional().describe('CATRA initial cutting performance'),
    defect_size_mm: z.number().min(0).max(1000).optional().describe('Largest dimension of the defect'),
    salt_spray_hours: z.number().min(0).max(10_000).optional().describe('Hours in salt spray before rust'),
  })
  .catchall(z.number().finite())
  .describe('Measured values; numbers only, units in the key name');
export type Measurements = z.infer<typeof Measurements>;

/** An image attached to a report, as a reference (the bytes live in the image store) or inline base64. */
export const ImageReference = z
  .object({
    media_type: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    uri: z.string().min(1).max(2048).optional(),
    data_base64: z.string().min(1).optional(),
  })
  .refine((image) => image.uri !== undefined || image.data_base64 !== undefined, {
    message: 'an image needs a uri or data_base64',
  });
export type ImageReference = z.infer<typeof ImageReference>;

/** An inspection report: what an inspector or QA engineer submits for analysis. */
export const InspectionReport = z
  .object({
    description: z
      .string()
      .trim()
      .min(1)
      .max(8000)
      .optional()
      .describe("The inspector's text; required unless an image is given"),
    product_sku: ProductSku.optional(),
    facility: Facility.optional(),
    measurements: Measurements.optional(),
    batch_id: z.string().trim().min(1).max(64).optional(),
    shift: z.string().trim().min(1).max(32).optional(),
    production_data: z
      .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()]))
      .optional()
      .describe('Line, machine, operator shift and other context, as flat key/values'),
    image: ImageReference.optional(),
  })
  .strict()
  .refine((report) => report.description !== undefined || report.image !== undefined, {
    message: 'a report needs a description or an image',
    path: ['description'],
  });
export type InspectionReport = z.infer<typeof InspectionReport>;
