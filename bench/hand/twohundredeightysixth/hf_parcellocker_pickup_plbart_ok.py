"""Hugging Face Trainer: a tiny PLBart classifier (``PLBartConfig``: vocabulary 16, d_model 48,
2 encoder and 2 decoder layers, 4 heads, FFN 96, built from the config, no download;
``PLBartForSequenceClassification`` pools the decoder state at the closing eos token) tells a
parcel locker network how a parcel in a compartment will end, from the first 24 hours of its
event log after drop-off, so compartments that will sit until expiry can be flagged for the
return-to-sender sweep: 0 = collected within a day, 1 = collected late (day 2-3), 2 = expires
and goes back. One token per hour: 3 quiet, 4 pickup-code SMS sent, 5 reminder sent, 6 app
opened, 7 code viewed in the app, 8 locker bank offline, 9 compartment door checked by staff.
Prompt customers open the app within a few hours of the SMS and view the code; late ones react
only after a reminder (reminders at hours 8 and 16); the ones whose parcel expires ignore both,
with a stray app open now and then. 6 % of outcomes go against the pattern (a customer who
viewed the code and still never came).
AdamW 2e-3, linear decay with 30 warmup steps, batch 32, 5 epochs of 1500 parcels, eval every
40 steps on 360 parcels (accuracy, per-class recall), loss every 15 steps, checkpoint every 40
steps (``lockers/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    PLBartConfig,
    PLBartForSequenceClassification,
    Trainer,
    TrainingArguments,
)

H = 24


def parcels(n, g):
    kind = torch.arange(n) % 3
    kind = kind[torch.randperm(n, generator=g)]
    ev = torch.full((n, H), 3, dtype=torch.long)
    for i in range(n):
        k = kind[i].item()
        u = torch.rand(6, generator=g).tolist()
        sms = int(3 * u[0])
        ev[i, sms] = 4
        ev[i, 8], ev[i, 16] = 5, 5
        if k == 0:
            t = sms + 1 + int(4 * u[1])
            ev[i, t], ev[i, min(t + 1 + int(3 * u[2]), H - 1)] = 6, 7
        elif k == 1:
            t = (8 if u[1] < 0.5 else 16) + 1 + int(4 * u[2])
            ev[i, t], ev[i, min(t + 1 + int(2 * u[3]), H - 1)] = 6, 7
        elif u[1] < 0.35:
            ev[i, sms + 2 + int(19 * u[2])] = 6
        if u[4] < 0.2:
            ev[i, 3 + int(19 * u[5])] = 8
    ev[(torch.rand(n, H, generator=g) < 0.04) & (ev == 3)] = 9
    flip = torch.rand(n, generator=g) < 0.06
    y = torch.where(flip, torch.randint(0, 3, (n,), generator=g), kind)
    ids = torch.cat([torch.zeros(n, 1, dtype=torch.long), ev,
                     torch.full((n, 1), 2, dtype=torch.long)], 1)
    return ids, y


class EventLogs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(H + 2, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = PLBartConfig(vocab_size=16, d_model=48, encoder_layers=2, decoder_layers=2,
                          encoder_attention_heads=4, decoder_attention_heads=4,
                          encoder_ffn_dim=96, decoder_ffn_dim=96, max_position_embeddings=64,
                          num_labels=3, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                          decoder_start_token_id=2, dropout=0.0, attention_dropout=0.0,
                          classifier_dropout=0.0, scale_embedding=True)
    return PLBartForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    out = {"accuracy": float((p == y).mean())}
    for k, name in enumerate(["day1", "late", "expired"]):
        out[f"recall_{name}"] = float((p[y == k] == k).mean())
    return out


def main():
    from _twohundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = parcels(1500, g)
    iva, lva = parcels(360, g)
    print("steps", 5 * math.ceil(1500 / 32))
    args = TrainingArguments(str(out / "lockers"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=360,
                             logging_steps=15, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=EventLogs(itr, ltr),
                      eval_dataset=EventLogs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "lockers").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PLBart classifier predicting how a parcel locker pickup ends from its"
                " event log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
