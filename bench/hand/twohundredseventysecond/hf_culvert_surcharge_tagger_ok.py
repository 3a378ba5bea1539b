"""Hugging Face Trainer: a tiny Megatron-BERT token tagger (``MegatronBertConfig``: vocabulary
14, hidden 32, 2 layers, 4 heads, intermediate 64, 2 labels, built from the config, no
download) flags the hours at which a road culvert's inlet runs surcharged, from 32 hourly
headwater readings. A reading is the headwater depth over the invert as a band of 10 % of the
barrel height (ids 2-13 for bands 0-11; band 10 and up is above the crown). The logger cannot
see the outlet, so the rule the inspectors use is: surcharged when the headwater is above the
crown (band 10+), or when it is at 80 % or more of the barrel (band 8+) and has risen for two
hours running (the inlet is choking). Storm hydrographs: a rising limb, a peak and a recession
on a base flow, with one or two storms per window. AdamW 2e-3, 20 warmup steps then linear
decay, batch 32, 10 epochs of 800 windows, eval every 50 steps on 200 windows (token acc,
surcharge F1), loss every 10 steps, checkpoint every 50 steps (``surcharge/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    MegatronBertConfig,
    MegatronBertForTokenClassification,
    Trainer,
    TrainingArguments,
)

HOURS = 32


def windows(n, g):
    t = torch.arange(HOURS).float()[None]
    base = 0.5 + 2.0 * torch.rand(n, 1, generator=g)
    depth = base.expand(n, HOURS).clone()
    for k in range(2):
        on = (torch.rand(n, 1, generator=g) < (1.0 if k == 0 else 0.5)).float()
        start = torch.randint(0, HOURS - 6, (n, 1), generator=g).float()
        peak = 3 + 9 * torch.rand(n, 1, generator=g)
        rise = 2 + 4 * torch.rand(n, 1, generator=g)
        dt = t - start
        hyd = torch.where(dt < 0, torch.zeros_like(dt),
                          torch.where(dt < rise, dt / rise, torch.exp(-(dt - rise) / 5)))
        depth = depth + on * peak * hyd
    depth = depth + 0.4 * torch.randn(n, HOURS, generator=g)
    band = depth.round().clamp(0, 11).long()
    flag = torch.zeros(n, HOURS, dtype=torch.long)
    flag[band >= 10] = 1
    rising = torch.zeros(n, HOURS, dtype=torch.bool)
    rising[:, 2:] = (band[:, 2:] > band[:, 1:-1]) & (band[:, 1:-1] > band[:, :-2])
    flag[(band >= 8) & rising] = 1
    return band + 2, flag


class Windows(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(HOURS, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MegatronBertConfig(vocab_size=14, hidden_size=32, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=64,
                                max_position_embeddings=HOURS + 2, type_vocab_size=1,
                                pad_token_id=0, num_labels=2, hidden_dropout_prob=0.05,
                                attention_probs_dropout_prob=0.05)
    return MegatronBertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1).reshape(-1), pred.label_ids.reshape(-1)
    tp = ((p == 1) & (y == 1)).sum()
    f1 = 2 * tp / max(1, (p == 1).sum() + (y == 1).sum())
    return {"tok_acc": float((p == y).mean()), "surcharge_f1": float(f1)}


def main():
    from _twohundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = windows(800, g)
    iva, lva = windows(200, g)
    print("surcharged share", ltr.float().mean().item())
    args = TrainingArguments(str(out / "surcharge"), num_train_epochs=10, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Windows(itr, ltr),
                      eval_dataset=Windows(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "surcharge").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Megatron-BERT tagging surcharged hours at a culvert inlet, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
