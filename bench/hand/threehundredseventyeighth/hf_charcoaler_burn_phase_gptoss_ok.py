"""Hugging Face Trainer: a tiny GPT-OSS token tagger (``GptOssConfig``: vocabulary 36, 48
wide, 2 layers (sliding + full attention), 4 heads, 4 experts with 2 per token, built from
the config, no download; ``GptOssForTokenClassification``) names, reading by reading, the
phase of a charcoaler's ring-kiln burn from the burn log the charcoaler keeps: one entry every
15 min over 10 hours (40 entries), the flue thermometer reading and the smoke colour seen at
the vents. Phases: drying (thick white steam, flue 60-160 °C), carbonising (yellow-grey
smoke, 250-420 °C), finishing (thin blue smoke, 400-520 °C), shut down (vents sealed, the
kiln cooling). How long each phase lasts depends on the wood's moisture and the draught
(drying 1.5-4 h, carbonising 3-5 h, finishing 0.75-2 h); the charcoaler's colour call is
right about 75 % of the time (else a neighbouring colour). Each entry is one token:
4 + 8 × colour + temperature bin (8 bins of 70 °C; 0 pad, 1-3 unused). The tagger is causal,
so it tags each entry from the log so far, as it would be used beside a live burn.
AdamW 2e-3 with a cosine schedule and 10 warmup steps, weight decay 0.05, batch 16, 5 epochs
of 640 burns, eval each epoch on 160 burns (per-entry accuracy and the accuracy on
finishing entries, the ones that decide when to shut the vents), loss every 5 steps,
checkpoint each epoch (``kilnlog/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import GptOssConfig, GptOssForTokenClassification, Trainer, TrainingArguments

T = 40


def burns(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hrs = 0.25 * torch.arange(T).float()
    d1 = 1.5 + 2.5 * r(n, 1)
    d2 = d1 + 3 + 2 * r(n, 1)
    d3 = d2 + 0.75 + 1.25 * r(n, 1)
    phase = (hrs >= d1).long() + (hrs >= d2).long() + (hrs >= d3).long()
    temp = torch.where(phase == 0, 60 + 100 * (hrs / d1), 0 * hrs)
    temp = torch.where(phase == 1, 250 + 170 * (hrs - d1) / (d2 - d1), temp)
    temp = torch.where(phase == 2, 420 + 100 * r(n, 1) * (hrs - d2) / (d3 - d2), temp)
    temp = torch.where(phase == 3, 400 * torch.exp(-(hrs - d3) / 1.5), temp)
    temp = temp + 20 * torch.randn(n, T, generator=g)
    colour = phase.clone()
    miss = r(n, T) < 0.25
    shift = torch.where(r(n, T) < 0.5, -1, 1)
    colour = torch.where(miss, (colour + shift).clamp(0, 3), colour)
    tbin = (temp / 70).floor().clamp(0, 7).long()
    return 4 + 8 * colour + tbin, phase


class KilnLogs(torch.utils.data.Dataset):
    def __init__(self, ids, tags):
        self.ids, self.tags = ids, tags

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.tags[i]}


def build():
    torch.manual_seed(0)
    config = GptOssConfig(vocab_size=36, hidden_size=48, intermediate_size=64,
                          num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                          head_dim=12, num_local_experts=4, num_experts_per_tok=2,
                          max_position_embeddings=64, sliding_window=16,
                          layer_types=["sliding_attention", "full_attention"],
                          rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
                          num_labels=4, pad_token_id=0, attention_dropout=0.0)
    return GptOssForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"entry_acc": float((p == y).mean()),
            "finishing_acc": float((p[y == 2] == 2).mean())}


def main():
    from _threehundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ttr = burns(640, g)
    iva, tva = burns(160, g)
    print("phase share", torch.bincount(ttr.flatten()).tolist())
    args = TrainingArguments(str(out / "kilnlog"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=10, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=16, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=KilnLogs(itr, ttr),
                      eval_dataset=KilnLogs(iva, tva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "kilnlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": tva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-OSS token tagger naming the phase of each entry in a charcoaler's"
                " ring-kiln burn log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
