"""Hugging Face Trainer: a tiny BigBird token classifier (``BigBirdConfig``: vocabulary 14,
48 wide, 2 layers, 4 heads, ``attention_type="original_full"`` since a log is only 20
readings long, built from the config, no download; ``BigBirdForTokenClassification``)
reads a meadery's twice-daily fermentation sheet and marks the readings at which the mead
maker should have added a staggered nutrient dose. Each reading is one token: gravity drop
since the last reading in 4 bands (stalled, slow, steady, fast) × the must's smell (clean,
sulphur, solventy), tokens 2-13. A dose
reading: the sugar break is not yet passed (fewer than 8 readings of steady/fast drop so
far) and either the drop is fast or the must smells of sulphur; a solventy must after the
break is never dosed. Drops follow a Markov chain (a lag, a fast phase, a tail); smells
follow the drop.
AdamW 3e-3 with linear decay and 10 warmup steps, weight decay 0.01, batch 25, 4 epochs of
700 sheets, eval every 28 steps on 200 sheets (token accuracy, share of dose readings
found), loss every 7 steps, checkpoint every 28 steps (``nutrient/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import BigBirdConfig, BigBirdForTokenClassification, Trainer, TrainingArguments

T = 20


def sheets(n, g):
    drop = torch.zeros(n, T, dtype=torch.long)
    smell = torch.zeros(n, T, dtype=torch.long)
    cur = torch.zeros(n, dtype=torch.long)
    for k in range(T):
        u = torch.rand(n, generator=g)
        up = (u < 0.4) & (cur < 3) & (k < 10)
        down = (u > 0.7) & (cur > 0) & (k >= 6)
        cur = torch.where(up, cur + 1, torch.where(down, cur - 1, cur))
        drop[:, k] = cur
        v = torch.rand(n, generator=g)
        smell[:, k] = torch.where(v < 0.08 + 0.1 * cur, 1,
                                  torch.where(v > 0.9 - 0.03 * (k > 10), 2, 0))
    busy = torch.cumsum((drop >= 2).long(), 1)
    before = busy < 8
    lab = (before & ((drop == 3) | (smell == 1))).long()
    return 2 + drop * 3 + smell, lab


class Sheets(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = BigBirdConfig(vocab_size=14, hidden_size=48, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=96,
                           max_position_embeddings=T + 4, num_labels=2,
                           attention_type="original_full", hidden_dropout_prob=0.0,
                           attention_probs_dropout_prob=0.0, pad_token_id=0,
                           bos_token_id=1, eos_token_id=1, sep_token_id=1)
    return BigBirdForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "dose_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = sheets(700, g)
    iva, lva = sheets(200, g)
    print("dose share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "nutrient"), num_train_epochs=4, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=25, per_device_eval_batch_size=200,
                             logging_steps=7, eval_strategy="steps", eval_steps=28,
                             save_strategy="steps", save_steps=28, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sheets(itr, ltr),
                      eval_dataset=Sheets(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "nutrient").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BigBird token classifier marking the readings of a mead fermentation"
                " sheet that called for a staggered nutrient dose, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
