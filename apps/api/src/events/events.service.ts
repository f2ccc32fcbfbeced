import { Injectable } from "@nestjs/common";
import { DomainError } from "#common";
import { EventRepository, type EventQuery, type StoredEvent } from "#database";

/** Reading captured events: a query a page at a time, or one event by its eventID or CBV event hash. */
@Injectable()
export class EventsService {
  constructor(private readonly events: EventRepository) {}

  /** One page of events, and whether more follow (one extra row is read to know it without a count). */
  async page(query: EventQuery): Promise<{ events: StoredEvent[]; more: boolean }> {
    const found = await this.events.find({ ...query, limit: query.limit + 1 });
    return { events: found.slice(0, query.limit), more: found.length > query.limit };
  }

  async event(eventId: string): Promise<StoredEvent> {
    const event = await this.events.findByEventId(eventId);
    if (event === undefined) throw new DomainError("EVENT.NOT_FOUND", "not-found", `No event ${eventId}`, { eventId });
    return event;
  }
}
