"""Hugging Face Trainer: a tiny ESM token classifier (``EsmConfig``: vocabulary 16, 48
wide, 2 layers, 4 heads, rotary positions, built from the config, no download;
``EsmForTokenClassification``, bidirectional) reads a day of a gerbil enclosure's
half-hour sheet from a zoo's small-mammal house and marks the half-hours in which the
clan was out of the burrow (seen above the sand), so keepers can time the public talks.
Each half-hour is one token: light (dark, dim, bright) × sand temperature (cool, warm,
hot) plus a food-scatter flag folded in as 2 extra tokens, ids 3-13. Gerbils come out in
the dim hours at dusk and dawn, stay in when the sand is hot, come out within an hour of a
food scatter unless it is dark, and tend to stay out for a while once out (the label
depends on the previous half-hour's label). Days of 48 half-hours.
AdamW 1.5e-3 with linear decay and 20 warmup steps, weight decay 0.05, batch 24, 4 epochs
of 720 days, eval every 30 steps on 180 days (token accuracy, share of out-half-hours
found), loss every 6 steps, checkpoint every 30 steps (``burrow_watch/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import EsmConfig, EsmForTokenClassification, Trainer, TrainingArguments

T = 48


def days(n, g):
    h = torch.arange(T).float() / 2  # hour of the day
    light = torch.where((h >= 7) & (h < 19), 2, torch.where(((h >= 5.5) & (h < 7)) | ((h >= 19) & (h < 21)), 1, 0))
    light = light.expand(n, T).clone()
    shift = torch.randint(-2, 3, (n, 1), generator=g)
    light = torch.gather(light, 1, (torch.arange(T) + shift).clamp(0, T - 1))
    peak = 0.6 + 0.8 * torch.rand(n, 1, generator=g)
    heat = peak * torch.exp(-((h - 14) / 3.5) ** 2) + 0.25 * torch.rand(n, T, generator=g)
    temp = torch.bucketize(heat, torch.tensor([0.45, 0.85]))
    scatter = (torch.rand(n, T, generator=g) < 0.06) & (light > 0)
    ids = torch.where(scatter, 12 + (temp == 2).long(), 3 + light * 3 + temp)
    lab = torch.zeros(n, T, dtype=torch.long)
    prev = torch.zeros(n, dtype=torch.long)
    for k in range(T):
        fed = scatter[:, max(0, k - 2):k + 1].any(1)
        out = ((light[:, k] == 1) | (fed & (light[:, k] > 0))) & (temp[:, k] < 2)
        stay = (prev == 1) & (light[:, k] > 0) & (temp[:, k] < 2)
        lab[:, k] = (out | stay).long()
        prev = lab[:, k]
    return ids, lab


class Days(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = EsmConfig(vocab_size=16, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                       intermediate_size=96, max_position_embeddings=T + 4, num_labels=2,
                       hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                       position_embedding_type="rotary", pad_token_id=1, mask_token_id=2,
                       token_dropout=False)
    return EsmForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "out_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = days(720, g)
    iva, lva = days(180, g)
    print("out share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "burrow_watch"), num_train_epochs=4, learning_rate=1.5e-3,
                             warmup_steps=20, lr_scheduler_type="linear", weight_decay=0.05,
                             per_device_train_batch_size=24, per_device_eval_batch_size=180,
                             logging_steps=6, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Days(itr, ltr),
                      eval_dataset=Days(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "burrow_watch").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ESM token classifier marking the half-hours a zoo's gerbil clan was out of"
                " the burrow, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
