"""Hugging Face Trainer: a tiny mT5 encoder with a token-classification head
(``MT5Config``: vocabulary 24, 48 wide, 2 layers, 4 heads, gated-GELU feed-forward 96, built
from the config, no download; ``MT5ForTokenClassification``) tags every point of a cutler's
Rockwell traverse along a finished blade's edge: 32 hardness readings (HRC), one every 5 mm
from heel to tip. Each blade's steel and temper set its own level (56-63 HRC); a grinding
burn (the edge got too hot on the belt, over-tempered) pulls 2-5 readings down by 3-6 HRC
with soft shoulders, and a missed temper near the tip (flame-hardened edge left untempered)
lifts the last 3-6 readings by 3-5 HRC. Readings carry 0.6 HRC of tester scatter. Each
reading is one token: HRC binned into 20 steps of 1 HRC from 48 to 68 (tokens 4-23; 0 pad,
1 end). Tags: 0 sound, 1 burned (soft), 2 untempered (hard); a point is tagged by what was
done to it, so a 59 HRC reading is sound on one blade and burned on another; the model has
to read each blade's own level from the rest of the traverse.
AdamW 2e-3 with cosine decay and 10 % warmup, weight decay 0.01, batch 32, 8 epochs of 800
blades, eval and checkpoint each epoch on 200 blades (tag accuracy, recall of burned and
untempered points), loss every 5 steps, ``edgetags/checkpoint-N/`` with
``trainer_state.json``, the last two kept.
Healthy; numbers in the README."""
import torch
from transformers import MT5Config, MT5ForTokenClassification, Trainer, TrainingArguments

T = 32
BINS = 20


def traverses(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.arange(T).float().expand(n, T)
    level = 56 + 7 * r(n, 1)
    hrc = level + 0.4 * torch.sin(pos / 6 + 6 * r(n, 1))
    tags = torch.zeros(n, T, dtype=torch.long)
    burned = r(n) < 0.55
    start = (r(n) * (T - 10)).floor()
    width = 2 + (r(n) * 4).floor()
    depth = 3 + 3 * r(n)
    inside = (pos >= start.unsqueeze(1)) & (pos < (start + width).unsqueeze(1)) & burned.unsqueeze(1)
    edge = ((pos == (start - 1).unsqueeze(1)) | (pos == (start + width).unsqueeze(1))) & burned.unsqueeze(1)
    hrc = hrc - depth.unsqueeze(1) * (inside.float() + 0.35 * edge.float())
    tags[inside] = 1
    hard = r(n) < 0.35
    tip = T - 3 - (r(n) * 4).floor()
    at_tip = (pos >= tip.unsqueeze(1)) & hard.unsqueeze(1) & (tags == 0)
    hrc = hrc + (3 + 2 * r(n, 1)) * at_tip.float()
    tags[at_tip] = 2
    hrc = hrc + 0.6 * torch.randn(n, T, generator=g)
    tok = 4 + (hrc - 48).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([tok, torch.ones(n, 1, dtype=torch.long)], 1)
    labels = torch.cat([tags, torch.full((n, 1), -100, dtype=torch.long)], 1)
    return ids, labels


class Traverses(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MT5Config(vocab_size=4 + BINS, d_model=48, d_kv=12, d_ff=96, num_layers=2,
                       num_heads=4, num_labels=3, dropout_rate=0.0, pad_token_id=0,
                       eos_token_id=1, decoder_start_token_id=0,
                       relative_attention_num_buckets=16)
    return MT5ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"tag_acc": float((p[m] == y[m]).mean()),
            "recall_burned": float((p[y == 1] == 1).mean()),
            "recall_untempered": float((p[y == 2] == 2).mean())}


def main():
    from _threehundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = traverses(800, g)
    iva, lva = traverses(200, g)
    print("tag shares", torch.bincount(ltr[ltr != -100]).tolist())
    args = TrainingArguments(str(out / "edgetags"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=0.1, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Traverses(itr, ltr),
                      eval_dataset=Traverses(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "edgetags").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny mT5 encoder tagging sound / burned / untempered points of a cutler's"
                " Rockwell traverse along a blade edge, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
