"""Hugging Face Trainer: a tiny Phi token classifier (``PhiConfig``: vocabulary 12, hidden 48, 2
layers, 4 heads, rotary positions, built from the config, no download;
``PhiForTokenClassification``, causal) marks, stitch by stitch along a hand-sewn saddle-flap
seam, where the seam is weak, read off the saddler's stitch log as the seam goes. Each stitch
is logged as its length in 0.25 mm bands around the 8-to-the-inch target (3.2 mm; tokens 2-9)
or as a skipped awl hole (token 10, the thread missed the hole or the awl went through the
welt). A stitch is weak if an awl hole was skipped at it or at one of the two stitches before
it (the two threads of a saddle stitch no longer lock there), or if it closes a run of three
stitches all longer than 3.7 mm (the thread lies loose and the leather can open). Stitch
lengths wander with the saddler's hand (a slow drift plus scatter).
AdamW 3e-3, cosine schedule with 20 warmup steps, batch 24, 3 epochs of 960 seams of 48
stitches, eval every 30 steps on 200 seams (token accuracy, share of weak stitches found),
loss every 10 steps, checkpoint every 30 steps (``seam/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    PhiConfig,
    PhiForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 48


def seams(n, g):
    drift = 0.25 * torch.randn(n, generator=g)
    length = torch.empty(n, T)
    for t in range(T):
        drift = 0.85 * drift + 0.12 * torch.randn(n, generator=g)
        length[:, t] = 3.2 + drift + 0.3 * torch.randn(n, generator=g)
    skip = torch.rand(n, T, generator=g) < 0.05
    ids = ((length - 2.2) / 0.25).floor().clamp(0, 7).long() + 2
    ids = torch.where(skip, torch.full_like(ids, 10), ids)
    longs = (length > 3.7) & ~skip
    lab = torch.zeros(n, T, dtype=torch.long)
    for t in range(T):
        weak = skip[:, max(0, t - 2):t + 1].any(1)
        if t >= 2:
            weak = weak | longs[:, t - 2:t + 1].all(1)
        lab[:, t] = weak.long()
    return ids, lab


class Seams(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = PhiConfig(vocab_size=12, hidden_size=48, intermediate_size=96,
                       num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                       max_position_embeddings=T, resid_pdrop=0.0, embd_pdrop=0.0,
                       attention_dropout=0.0, num_labels=2, pad_token_id=0,
                       bos_token_id=1, eos_token_id=1)
    return PhiForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "weak_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _twohundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = seams(960, g)
    iva, lva = seams(200, g)
    print("weak share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "seam"), num_train_epochs=3, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=24, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Seams(itr, ltr),
                      eval_dataset=Seams(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "seam").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Phi token classifier marking weak stitches along a hand-sewn saddle seam,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
