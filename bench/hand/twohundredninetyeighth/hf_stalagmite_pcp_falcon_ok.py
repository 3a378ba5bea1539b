"""Hugging Face Trainer: a tiny Falcon token classifier (``FalconConfig``: vocabulary 16, hidden
48, 2 layers, 4 heads, multi-query attention, parallel attention/MLP, rotary, built from the
config, no download; ``FalconForTokenClassification``, causal) marks, sample by sample along
the growth axis of a stalagmite, the stretches of prior calcite precipitation (PCP): in a dry
spell the drip water degasses and drops calcite in the epikarst before it reaches the
stalagmite, so the Mg/Ca of the new calcite climbs. A sample is PCP when Mg/Ca has climbed
by at least 2 bands over the last 3 samples and stands at band 6 or above (``HIGH``, above
the cave's usual drip-water level), or when it climbs 4 bands in 3 samples from anywhere.
Mg/Ca follows a seasonal wiggle (the annual laminae, 8-14 samples per year), a slow drift of
the cave's drip regime, and dry spells of 5-15 samples; the LA-ICP-MS adds scatter. One token per
sample, 80 samples: Mg/Ca in 12 bands (tokens 2-13).
AdamW 3e-3, linear schedule with 10 warmup steps, batch 32, 3 epochs of 1200 tracks, eval
every 25 steps on 256 tracks (token accuracy, share of PCP samples found), loss every 5
steps, checkpoint every 25 steps (``tracks/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    FalconConfig,
    FalconForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 80
HIGH = 6  # Mg/Ca band above the cave's usual drip-water level


def tracks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    period = 8 + 6 * r(n, 1)
    mg = 5 + 1.5 * torch.sin(2 * torch.pi * t / period + 6.3 * r(n, 1)) + (r(n, 1) - 0.5) * 4 * t / T
    dry = torch.zeros(n, T)
    for _ in range(2):
        s = (r(n, 1) * (T - 10)).long()
        ln = (5 + 10 * r(n, 1)).long()
        dry = torch.maximum(dry, ((t >= s) & (t < s + ln)).float() * (t - s).clamp(min=0))
    mg = mg + 0.45 * dry + 0.5 * torch.randn(n, T, generator=g)
    ids = mg.round().clamp(0, 11).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(3, T):
        climb = ids[:, k] - ids[:, k - 3]
        lab[:, k] = ((climb >= 2) & (ids[:, k] >= HIGH) | (climb >= 4)).long()
    return ids + 2, lab


class Tracks(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = FalconConfig(vocab_size=16, hidden_size=48, num_hidden_layers=2,
                          num_attention_heads=4, multi_query=True, parallel_attn=True,
                          max_position_embeddings=T, num_labels=2, hidden_dropout=0.0,
                          attention_dropout=0.0, bos_token_id=1, eos_token_id=1, pad_token_id=0)
    return FalconForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "pcp_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _twohundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = tracks(1200, g)
    iva, lva = tracks(256, g)
    print("pcp share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "tracks"), num_train_epochs=3, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tracks(itr, ltr),
                      eval_dataset=Tracks(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tracks").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Falcon token classifier marking prior-calcite-precipitation stretches"
                " along a stalagmite's Mg/Ca track, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
