"""Hugging Face Trainer: a tiny BLOOM token classifier (``BloomConfig``: vocabulary 12, hidden
32, 2 layers, 4 heads, 2 labels, built from the config, no download) marks which waves in a
wave-gauge record overtop a rubble-mound breakwater crest. Each record is 24 waves, each a token
for its height class (0.5 m bins, 8 classes, 3..10; 0 pad, 1 BOS unused). A wave overtops when
its height plus half the previous wave's (water piled up on the rock slope has not drained
yet) clears the crest (taken as 6.5 bins for the summed height). BLOOM attends causally, so the
label depends only on the wave and the waves before it. ``BloomForTokenClassification``,
cross-entropy per wave, AdamW 3e-3 with 10 warmup steps and cosine decay, batch 24, 6 epochs of
720 records, eval every 30 steps on 144 records (per-wave accuracy), loss every 5 steps.
Healthy; numbers in the README. Checkpoints ``seawall/checkpoint-N/`` with
``trainer_state.json`` (save every 60 steps, last kept)."""
import torch
from transformers import BloomConfig, BloomForTokenClassification, Trainer, TrainingArguments

N_WAVE, N_CLASS = 24, 8
CREST = 6.5


def records(n, g):
    # groupy seas: a slow envelope times random heights
    env = 1 + 0.35 * torch.sin(torch.arange(N_WAVE) / 3.0 + 6.28 * torch.rand(n, 1, generator=g))
    h = (env * (2 + 2.2 * torch.rand(n, N_WAVE, generator=g))).round().clamp(0, N_CLASS - 1)
    prev = torch.cat([torch.zeros(n, 1), h[:, :-1]], 1)
    y = (h + 0.5 * prev > CREST).long()
    return h.long() + 3, y


class Gauge(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = ids, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N_WAVE, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = BloomConfig(vocab_size=12, hidden_size=32, n_layer=2, n_head=4, num_labels=2,
                         pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return BloomForTokenClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = records(720, g)
    iva, yva = records(144, g)
    print("overtopping share", ytr.float().mean().item(), yva.float().mean().item())
    args = TrainingArguments(str(out / "seawall"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, lr_scheduler_type="cosine", warmup_steps=10,
                             per_device_train_batch_size=24, per_device_eval_batch_size=144,
                             logging_steps=5, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Gauge(itr, ytr),
                      eval_dataset=Gauge(iva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "seawall").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BLOOM token classifier marking overtopping waves in breakwater wave-gauge"
                " records, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
