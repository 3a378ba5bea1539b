"""Hugging Face Trainer: a tiny GPTBigCode token classifier (``GPTBigCodeConfig``: vocabulary
12, 48 wide, 2 layers, 4 heads, multi-query attention, learned positions, built from the
config, no download; ``GPTBigCodeForTokenClassification``, causal) reads a bagel shop's
kettle log tray by tray and marks the trays that will come out flat (the bagels collapse in
the boil and bake up wrinkled). Each tray is one token: 4 proof states (young, ready, ripe,
over) × cold-retarded overnight or shaped the same morning, tokens 2-9. A tray comes out flat
when it is over-proofed, or ripe while the kettle is cold: 2 or more of the 3 trays just
before it came straight from the retarder and pulled the water off the boil. Shifts of 40
trays; each baker proofs in runs, so the proof state comes in streaks (a sticky Markov chain).
AdamW 3e-3 with linear decay and 10 warmup steps, weight decay 0.01, batch 24, 3 epochs of
960 shifts, eval every 40 steps on 240 shifts (token accuracy, share of flat trays found),
loss every 8 steps, checkpoint every 40 steps (``kettle/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    GPTBigCodeConfig,
    GPTBigCodeForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 40


def shifts(n, g):
    proof = torch.zeros(n, T, dtype=torch.long)
    cold = (torch.rand(n, T, generator=g) < 0.2 + 0.5 * torch.rand(n, 1, generator=g)).long()
    habit = torch.rand(n, 4, generator=g) * 2  # how each baker tends to proof
    cur = torch.randint(0, 4, (n,), generator=g)
    for k in range(T):
        stay = torch.rand(n, generator=g) < 0.5
        new = torch.multinomial(torch.softmax(habit, 1), 1, generator=g).squeeze(1)
        cur = torch.where(stay, cur, new)
        proof[:, k] = cur
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        cold_kettle = cold[:, max(0, k - 3):k].sum(1) >= 2
        lab[:, k] = ((proof[:, k] == 3) | ((proof[:, k] == 2) & cold_kettle)).long()
    return 2 + proof * 2 + cold, lab


class Shifts(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GPTBigCodeConfig(vocab_size=12, n_embd=48, n_layer=2, n_head=4, n_positions=T,
                              n_inner=96, multi_query=True, num_labels=2, resid_pdrop=0.0,
                              embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=1, eos_token_id=1,
                              pad_token_id=0)
    return GPTBigCodeForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "flat_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = shifts(960, g)
    iva, lva = shifts(240, g)
    print("flat share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "kettle"), num_train_epochs=3, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=8, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Shifts(itr, ltr),
                      eval_dataset=Shifts(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "kettle").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPTBigCode token classifier marking the trays of a bagel shop's kettle"
                " log that will come out flat, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
