use super::*;

async fn reply(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
    let mut all = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        all.push_str(&line);
        // The last line of a reply has a space after the code.
        if line.len() < 4 || line.as_bytes()[3] == b' ' {
            return all;
        }
    }
}

async fn transcript(sink: &SmtpSink, commands: &[&str]) -> Vec<String> {
    let stream = TcpStream::connect(sink.addr()).await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut replies = vec![reply(&mut reader).await];
    for command in commands {
        write.write_all(command.as_bytes()).await.unwrap();
        replies.push(reply(&mut reader).await);
    }
    replies
}

const DATA: &str = "Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\n";

#[tokio::test]
async fn a_transaction_is_recorded_with_dot_unstuffing() {
    let sink = SmtpSink::start().await;
    let replies = transcript(
        &sink,
        &[
            "EHLO me\r\n",
            "MAIL FROM:<a@x.test> SIZE=10\r\n",
            "RCPT TO:<b@y.test>\r\n",
            "RCPT to: <c@y.test>\r\n",
            "DATA\r\n",
            DATA,
            "QUIT\r\n",
        ],
    )
    .await;
    assert!(
        replies[1].starts_with("250-") && replies[1].contains("250 SIZE"),
        "{replies:?}"
    );
    assert!(replies[5].starts_with("354"), "{replies:?}");
    assert!(replies[6].starts_with("250"), "{replies:?}");
    assert!(replies[7].starts_with("221"), "{replies:?}");
    let mails = sink.wait_for(1, Duration::from_secs(2)).await.unwrap();
    assert_eq!(mails[0].envelope_from, "a@x.test");
    assert_eq!(mails[0].recipients, ["b@y.test", "c@y.test"]);
    assert_eq!(mails[0].raw, b"Subject: hi\r\n\r\n.leading dot\r\nbody\r\n");
    assert_eq!(mails[0].subject().as_deref(), Some("hi"));
    assert_eq!(sink.messages_after(0), mails);
    assert!(sink.messages_after(1).is_empty());
}

#[tokio::test]
async fn out_of_order_commands_and_rset_are_refused_or_reset() {
    let sink = SmtpSink::start().await;
    let replies = transcript(
        &sink,
        &[
            "HELO me\r\n",
            "RCPT TO:<b@y.test>\r\n",
            "DATA\r\n",
            "MAIL FROM:<a@x.test>\r\n",
            "RSET\r\n",
            "RCPT TO:<b@y.test>\r\n",
            "NOOP\r\n",
            "BOGUS\r\n",
        ],
    )
    .await;
    let codes: Vec<&str> = replies.iter().map(|r| &r[..3]).collect();
    assert_eq!(
        codes,
        [
            "220", "250", "503", "503", "250", "250", "503", "250", "502"
        ]
    );
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn the_switches_answer_451_or_550_and_store_nothing() {
    let sink = SmtpSink::start().await;
    sink.set_temp_fail(true);
    let replies = transcript(&sink, &["EHLO me\r\n", "MAIL FROM:<a@x.test>\r\n"]).await;
    assert!(replies[2].starts_with("451"), "{replies:?}");
    assert_eq!(sink.rejected(), 1);
    sink.set_temp_fail(false);
    sink.set_reject_recipients(true);
    let replies = transcript(
        &sink,
        &[
            "EHLO me\r\n",
            "MAIL FROM:<a@x.test>\r\n",
            "RCPT TO:<b@y.test>\r\n",
        ],
    )
    .await;
    assert!(replies[3].starts_with("550"), "{replies:?}");
    assert_eq!(sink.rejected(), 2);
    sink.set_reject_recipients(false);
    let replies = transcript(
        &sink,
        &[
            "EHLO me\r\n",
            "MAIL FROM:<a@x.test>\r\n",
            "RCPT TO:<b@y.test>\r\n",
            "DATA\r\n",
            DATA,
        ],
    )
    .await;
    assert!(replies[5].starts_with("250"), "{replies:?}");
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn several_connections_are_served_at_once() {
    let sink = SmtpSink::start().await;
    // Hold one connection open mid-transaction while another completes.
    let held = TcpStream::connect(sink.addr()).await.unwrap();
    let replies = transcript(
        &sink,
        &[
            "HELO me\r\n",
            "MAIL FROM:<>\r\n",
            "RCPT TO:<b@y.test>\r\n",
            "DATA\r\n",
            DATA,
        ],
    )
    .await;
    assert!(replies[5].starts_with("250"), "{replies:?}");
    assert_eq!(sink.messages()[0].envelope_from, "");
    drop(held);
}

#[tokio::test]
async fn wait_for_fails_after_its_timeout() {
    let sink = SmtpSink::start().await;
    let err = sink
        .wait_for(1, Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("expected 1 messages"), "{err}");
}
