//! From audit events to webhook messages: the one mapping of [`EventKind`] to webhook event
//! type, and the JSON body a delivery posts.

use serde_json::{Value, json};

use crate::model::{AuditEvent, Envelope, EventKind, WebhookMessage};

/// The webhook event type an audit event is reported as, if any. Every audit event passes
/// through here (in `Mutation::commit`), so this `match` is the only place to extend.
pub fn webhook_event_type(kind: EventKind, data: &Value) -> Option<&'static str> {
    match kind {
        EventKind::EnvelopeSent => Some("envelope.sent"),
        EventKind::Viewed => Some("envelope.viewed"),
        EventKind::Signed => Some("envelope.signed"),
        EventKind::Declined => Some("envelope.declined"),
        EventKind::Completed => Some("envelope.completed"),
        EventKind::Expired => Some("envelope.expired"),
        EventKind::Reactivated => Some("envelope.reactivated"),
        // The reminder e-mail went out (the request alone is `ReminderRequested`).
        EventKind::InvitationEmailed if data["reminder"] == json!(true) => {
            Some("envelope.reminder_sent")
        }
        EventKind::DeliveryFailed => Some("email.delivery_failed"),
        _ => None,
    }
}

/// The message for `event` of `envelope`, when its kind is reported to webhooks.
pub(crate) fn message_for(envelope: &Envelope, event: &AuditEvent) -> Option<WebhookMessage> {
    let event_type = webhook_event_type(event.kind, &event.data)?;
    let mut data = json!({
        "envelope_id": envelope.id,
        "external_key": envelope.external_key,
        "title": envelope.title,
        "status": envelope.status.as_str(),
        "event_seq": event.seq,
    });
    if let Some(signer) = event.data.get("signer_id") {
        data["signer_id"] = signer.clone();
    }
    let body = json!({
        "type": event_type,
        "timestamp": crate::time::rfc3339(event.at),
        "data": data,
    });
    Some(WebhookMessage {
        event_type,
        payload: body.to_string(),
        at: event.at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reminders_among_invitation_emails_are_reported() {
        let reminder = json!({"reminder": true});
        let first = json!({"reminder": false});
        assert_eq!(
            webhook_event_type(EventKind::InvitationEmailed, &reminder),
            Some("envelope.reminder_sent")
        );
        assert_eq!(
            webhook_event_type(EventKind::InvitationEmailed, &first),
            None
        );
        assert_eq!(webhook_event_type(EventKind::Sealed, &first), None);
        assert_eq!(
            webhook_event_type(EventKind::Completed, &first),
            Some("envelope.completed")
        );
    }

    #[test]
    fn every_reported_type_is_one_endpoints_can_subscribe_to() {
        for kind in EventKind::ALL {
            if let Some(t) = webhook_event_type(*kind, &json!({"reminder": true})) {
                assert!(crate::model::WEBHOOK_EVENT_TYPES.contains(&t), "{t}");
            }
        }
    }
}
