"""Hugging Face Trainer: a tiny GPT-NeoX token classifier (``GPTNeoXConfig``: vocabulary 14,
hidden 48, 2 layers, 4 heads, MLP 96, built from the config, no download;
``GPTNeoXForTokenClassification``, causal) marks, second by second along a lake, where a
water bomber's pilot may keep the probes down on a pickup run. The swell reading (from the
float the base crew keeps on the lake, sent once a second as the aircraft runs in) is banded
0-9 (token 2-11); the pickup is off whenever the current reading or either of the two before it
is band 7 or higher (a hull slam risks the gear), and also for the first 3 seconds of the run,
before the aircraft has settled on the step. Swell wanders around band 2-4 with sets of larger
waves.
AdamW 3e-3, linear schedule with 10 warmup steps, batch 32, 3 epochs of 1600 runs (32 s each),
eval every 25 steps on 320 runs (token accuracy, share of "off" seconds caught), loss every 10
steps, checkpoint every 25 steps (``lake/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    GPTNeoXConfig,
    GPTNeoXForTokenClassification,
    Trainer,
    TrainingArguments,
)

L = 32


def runs(n, g):
    level = 2 + 2 * torch.rand(n, generator=g)
    sets = torch.zeros(n)
    bands = torch.empty(n, L, dtype=torch.long)
    for t in range(L):
        start = (torch.rand(n, generator=g) < 0.06) & (sets == 0)
        sets = torch.where(start, 2 + 4 * torch.rand(n, generator=g), sets)
        h = level + 1.0 * torch.randn(n, generator=g) + torch.where(sets > 0, 4.0, 0.0)
        sets = (sets - 1).clamp(min=0)
        bands[:, t] = h.round().clamp(0, 9).long()
    rough = (bands >= 7).long()
    off = rough.clone()
    off[:, 1:] |= rough[:, :-1]
    off[:, 2:] |= rough[:, :-2]
    off[:, :3] = 1
    return bands + 2, 1 - off


class Runs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GPTNeoXConfig(vocab_size=14, hidden_size=48, intermediate_size=96,
                           num_hidden_layers=2, num_attention_heads=4,
                           max_position_embeddings=64, num_labels=2, pad_token_id=0,
                           bos_token_id=1, eos_token_id=1, hidden_dropout=0.0,
                           attention_dropout=0.0, classifier_dropout=0.0)
    return GPTNeoXForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "off_caught": float(((p == 0) & (y == 0)).sum() / max((y == 0).sum(), 1))}


def main():
    from _twohundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = runs(1600, g)
    iva, lva = runs(320, g)
    print("pickup-on share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "lake"), num_train_epochs=3, learning_rate=3e-3,
                             weight_decay=0.0, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=320,
                             logging_steps=10, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Runs(itr, ltr),
                      eval_dataset=Runs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "lake").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-NeoX token classifier marking the seconds of a water bomber's lake"
                " run where the probes may stay down, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
