import { describe, expect, it } from 'vitest';
import { duplicateReason } from '../../src/ingest/duplicate-reason.js';

describe('duplicateReason', () => {
  it('names an id as the user wrote it, not as it is kept', () => {
    expect(duplicateReason('event_id', 'e1', 'first at line 2')).toBe("duplicate event_id 'e1' (first at line 2)");
    expect(duplicateReason('customer_id', 'ext:crm:C:1', 'first at line 2')).toBe("duplicate customer_id 'C:1' of source 'crm' (first at line 2)");
    expect(duplicateReason('event_id', 'h:qoH-s3J', 'first at line 4')).toBe('the same row again without an event_id (same content; first at line 4)');
    // Other fields' ids are the user's own, whatever they look like.
    expect(duplicateReason('order_id', 'h:1', 'first at line 2')).toBe("duplicate order_id 'h:1' (first at line 2)");
    expect(duplicateReason('order_id', 'ext:shop:1', 'first at line 2')).toBe("duplicate order_id 'ext:shop:1' (first at line 2)");
  });
});
