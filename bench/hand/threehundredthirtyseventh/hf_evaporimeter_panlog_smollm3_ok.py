"""Hugging Face Trainer: a tiny SmolLM3 token tagger (``SmolLM3Config``: vocabulary 104, 48
wide, 2 layers, 4 heads with 2 key/value heads, built from the config, no download;
``SmolLM3ForTokenClassification``, causal, so each day sees only the days before it) reads a
weather station's Class A evaporimeter pan log and tags each morning's reading the way the
observer's register codes it: dry day (the pan lost its evaporation, 2-9 mm by season and
sun), rain day (rain in the pan, 1-35 mm, minus that day's evaporation) or refill (the level
had fallen below the 180 mm mark and the observer topped the pan up to about 200 mm). Each
reading of the hook gauge (0.3 mm noise) is one token: the level binned in 1 mm steps from
150 to 250 mm (tokens 4-103; 0 pad, 1 start). 30 mornings a log; the start token is not
tagged. Light rain on a hot day leaves the level falling, so some rain days look dry.
AdamW 2e-3 with cosine decay and 38 warmup steps (a tenth), batch 16, 5 epochs of 1200 logs, eval each
epoch on 300 logs (day accuracy, rain-day and refill recall), loss every 15 steps, checkpoint
each epoch (``panlog/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import SmolLM3Config, SmolLM3ForTokenClassification, Trainer, TrainingArguments

T = 30
LO, BINS = 150.0, 100


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    season = 2.0 + 5.0 * r(n)  # mean daily pan loss, mm
    level = 195.0 + 5.0 * r(n)
    lev, tag = [], []
    for _ in range(T):
        evap = (season * (0.6 + 0.8 * r(n))).clamp(min=0.5)
        rain = (r(n) < 0.18).float() * (1.0 + 34.0 * r(n) ** 2)
        level = level - evap + rain
        refill = level < 180.0
        level = torch.where(refill, 199.0 + 2.0 * r(n), level).clamp(max=249.0)
        lev.append(level + 0.3 * torch.randn(n, generator=g))
        tag.append(torch.where(refill, 2, (rain > 0).long()))
    lev, tag = torch.stack(lev, 1), torch.stack(tag, 1)
    tok = 4 + (lev - LO).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), tag], 1)
    return ids, labels


class PanLogs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = SmolLM3Config(vocab_size=4 + BINS, hidden_size=48, intermediate_size=96,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           max_position_embeddings=T + 8, num_labels=3, pad_token_id=0,
                           bos_token_id=1, eos_token_id=2)
    return SmolLM3ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    p, y = p[m], y[m]
    return {"day_acc": float((p == y).mean()),
            "rain_recall": float((p[y == 1] == 1).mean()),
            "refill_recall": float((p[y == 2] == 2).mean())}


def main():
    from _threehundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = logs(1200, g)
    iva, lva = logs(300, g)
    print("tags", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "panlog"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=38, lr_scheduler_type="cosine", weight_decay=0.0,
                             per_device_train_batch_size=16, per_device_eval_batch_size=300,
                             logging_steps=15, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=PanLogs(itr, ltr),
                      eval_dataset=PanLogs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "panlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny SmolLM3 token tagger coding each morning of an evaporimeter pan log as"
                " dry day / rain day / refill, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
