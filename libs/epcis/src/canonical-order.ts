/**
 * The canonical property order of CBV 2.0 event hashing, as the reference implementation applies it (its
 * README table differs: certificationInfo comes right after eventTimeZoneOffset, parentID before epcList).
 * bizTransactionList, sourceList and destinationList are absent on purpose: the reference never matches them
 * here, so they land among the remaining fields, sorted with the user extensions at the end.
 */
export interface OrderedField {
  readonly name: string;
  /** The order of the field's children; undefined for a field whose value is all that counts. */
  readonly children?: readonly OrderedField[];
}

function fields(...names: readonly string[]): OrderedField[] {
  return names.map((name) => ({ name }));
}

const EPC_LIST: readonly OrderedField[] = fields("epc");
const QUANTITY_LIST: readonly OrderedField[] = [
  { name: "quantityElement", children: fields("epcClass", "quantity", "uom") },
];

const SENSOR_METADATA = fields(
  "time",
  "startTime",
  "endTime",
  "deviceID",
  "deviceMetadata",
  "rawData",
  "dataProcessingMethod",
  "bizRules",
);

const SENSOR_REPORT = fields(
  "type",
  "exception",
  "deviceID",
  "deviceMetadata",
  "rawData",
  "dataProcessingMethod",
  "time",
  "microorganism",
  "chemicalSubstance",
  "value",
  "component",
  "stringValue",
  "booleanValue",
  "hexBinaryValue",
  "uriValue",
  "minValue",
  "maxValue",
  "meanValue",
  "sDev",
  "percRank",
  "percValue",
  "uom",
  "coordinateReferenceSystem",
);

export const EVENT_FIELD_ORDER: readonly OrderedField[] = [
  { name: "eventTime" },
  { name: "eventTimeZoneOffset" },
  { name: "certificationInfo" },
  { name: "parentID" },
  { name: "epcList", children: EPC_LIST },
  { name: "inputEPCList", children: EPC_LIST },
  { name: "childEPCs", children: EPC_LIST },
  { name: "quantityList", children: QUANTITY_LIST },
  { name: "childQuantityList", children: QUANTITY_LIST },
  { name: "inputQuantityList", children: QUANTITY_LIST },
  { name: "outputEPCList", children: EPC_LIST },
  { name: "outputQuantityList", children: QUANTITY_LIST },
  { name: "action" },
  { name: "transformationID" },
  { name: "bizStep" },
  { name: "disposition" },
  { name: "persistentDisposition", children: fields("set", "unset") },
  { name: "readPoint", children: fields("id") },
  { name: "bizLocation", children: fields("id") },
  {
    name: "sensorElementList",
    children: [
      {
        name: "sensorElement",
        children: [
          { name: "sensorMetadata", children: SENSOR_METADATA },
          { name: "sensorReport", children: SENSOR_REPORT },
        ],
      },
    ],
  },
];

/** Top-level fields that never count: identity and bookkeeping of the event, not what happened. */
export const UNHASHED_FIELDS: ReadonlySet<string> = new Set(["type", "eventID", "recordTime", "errorDeclaration"]);

export const EVENT_TYPES: ReadonlySet<string> = new Set([
  "ObjectEvent",
  "AggregationEvent",
  "TransactionEvent",
  "TransformationEvent",
  "AssociationEvent",
]);
