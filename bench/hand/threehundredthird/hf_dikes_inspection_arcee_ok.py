"""Hugging Face Trainer: a tiny Arcee token classifier (``ArceeConfig``: vocabulary 12, hidden
48, 2 layers, 4 heads, 2 key/value heads, ReLU² MLP, rotary, built from the config, no
download; ``ArceeForTokenClassification``, causal) reads a dike watch's walk along a river
dike during high water, one token per 100 m section, and marks the sections that need a
sandbag ring or a berm now. Each section's observation on the inner slope is one of 4 (dry,
damp, wet, sand boil) × whether the crest has visibly settled (2), tokens 2-9. A section is
marked when it shows a sand boil, when it is wet and 2 or more of the 3 sections before it
were damp or worse (a seepage zone spreading along the dike), or when the crest has settled
over a wet or damp slope. Walks of 40 sections; seepage zones come in stretches (a sticky
Markov chain whose stickiness and wetness vary per dike).
AdamW 3e-3, linear schedule with 10 warmup steps, batch 40, 3 epochs of 1000 walks, eval
every 25 steps on 240 walks (token accuracy, share of marked sections found), loss every 5
steps, checkpoint every 25 steps (``watch/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import ArceeConfig, ArceeForTokenClassification, Trainer, TrainingArguments

T = 40


def walks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wet_bias = 0.5 + 1.5 * r(n, 1)
    stay = 0.5 + 0.35 * r(n, 1)
    state = torch.zeros(n, T, dtype=torch.long)
    cur = torch.zeros(n, dtype=torch.long)
    for k in range(T):
        w = torch.softmax(torch.cat([torch.full((n, 1), 1.5), wet_bias * torch.tensor(
            [[1.0, 0.6, -0.8]])], 1), 1)
        new = torch.multinomial(w, 1, generator=g).squeeze(1)
        cur = torch.where(r(n) < stay.squeeze(1), cur, new)
        state[:, k] = cur
    settled = (r(n, T) < 0.08).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        prev = (state[:, max(0, k - 3):k] >= 1).sum(1)
        mark = (state[:, k] == 3) | ((state[:, k] == 2) & (prev >= 2))
        mark = mark | ((settled[:, k] == 1) & (state[:, k] >= 1))
        lab[:, k] = mark.long()
    return 2 + state * 2 + settled, lab


class Walks(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ArceeConfig(vocab_size=12, hidden_size=48, intermediate_size=96, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=T,
                         num_labels=2, pad_token_id=0, bos_token_id=1, eos_token_id=1)
    return ArceeForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "marked_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = walks(1000, g)
    iva, lva = walks(240, g)
    print("marked share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "watch"), num_train_epochs=3, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=40, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Walks(itr, ltr),
                      eval_dataset=Walks(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "watch").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Arcee token classifier marking the dike sections that need sandbags from"
                " a dike watch's high-water walk, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
