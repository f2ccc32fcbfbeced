export {
  ApiError,
  CarbonTraceClient,
  unreachable,
  type CaptureJob,
  type ClientOptions,
  type EvidenceUpload,
} from "./client.js";
export { httpEvidenceReader, kuboEvidenceReader } from "./evidence-reader.js";
export { attestBundle, type AttestationRequest, type RecordedAttestation } from "./attest.js";
