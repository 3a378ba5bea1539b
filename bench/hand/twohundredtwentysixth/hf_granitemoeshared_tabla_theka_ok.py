"""Hugging Face ``Trainer``: a tiny GraniteMoeShared causal LM (``GraniteMoeSharedForCausalLM``
from a ``GraniteMoeSharedConfig``: 2 layers, hidden 64, 4 heads, 4 experts (top 2) plus a
shared MLP, vocabulary 17, no download) learns to continue a tabla player's practice
recordings. Each recording is a taal token (teentaal 16 beats, jhaptaal 10, rupak 7, keherwa
8, dadra 6) followed by 40 bols (dha, dhin, tin, ta, dhi, na, ti, ge, ka) played as that
taal's theka, cycle after cycle, starting at a random beat of the cycle; the player ornaments:
each bol is swapped for a random one with probability 0.12. AdamW 3e-3, weight decay 0.01, 10
warm-up steps then linear decay, batch 32, 6 epochs of 640 recordings (120 steps), eval on 160
recordings every 20 steps with ``eval_bol_acc`` (next-bol accuracy from the fifth bol on),
loss logged every 5 steps, ``theka/checkpoint-120/`` with ``trainer_state.json``.
Healthy: eval loss 1.399 (step 20), 1.112, 0.982, 0.849, 0.806, 0.791 (step 120); bol accuracy
0.604, 0.723, 0.780, 0.815, 0.827, 0.832, still climbing slowly towards the ~0.89 the 12 %
ornaments allow (an ornament is unpredictable); train loss 2.71 at step 5, 1.49 at 20, 0.96
at 60, 0.74 at 120, below the eval loss at the end only by the usual small gap."""
import torch
from transformers import (
    GraniteMoeSharedConfig,
    GraniteMoeSharedForCausalLM,
    Trainer,
    TrainingArguments,
)

PAD, BOS, EOS = 0, 1, 2
BOLS = ["dha", "dhin", "tin", "ta", "dhi", "na", "ti", "ge", "ka"]
THEKA = {
    "teentaal": "dha dhin dhin dha dha dhin dhin dha dha tin tin ta ta dhin dhin dha",
    "jhaptaal": "dhi na dhi dhi na ti na dhi dhi na",
    "rupak": "tin tin na dhi na dhi na",
    "keherwa": "dha ge na ti na ka dhi na",
    "dadra": "dha dhi na dha ti na",
}
TAAL0, BOL0, N_BOLS = 3, 8, 40


def recordings(n, g):
    x = torch.full((n, N_BOLS + 3), PAD)
    names = list(THEKA)
    for i in range(n):
        t = int(torch.randint(0, 5, (1,), generator=g))
        cyc = [BOL0 + BOLS.index(b) for b in THEKA[names[t]].split()]
        start = int(torch.randint(0, len(cyc), (1,), generator=g))
        toks = [BOS, TAAL0 + t]
        for k in range(N_BOLS):
            b = cyc[(start + k) % len(cyc)]
            if float(torch.rand(1, generator=g)) < 0.12:
                b = BOL0 + int(torch.randint(0, 9, (1,), generator=g))
            toks.append(b)
        x[i] = torch.tensor(toks + [EOS])
    return x


class Recordings(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = GraniteMoeSharedConfig(vocab_size=17, hidden_size=64, intermediate_size=64,
                                    num_hidden_layers=2, num_attention_heads=4,
                                    num_key_value_heads=4, num_local_experts=4,
                                    num_experts_per_tok=2, shared_intermediate_size=64,
                                    max_position_embeddings=64, pad_token_id=PAD,
                                    bos_token_id=BOS, eos_token_id=EOS)
    return GraniteMoeSharedForCausalLM(config)


def bol_accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    guess = logits[:, 5:-2].argmax(-1)
    target = pred.label_ids[:, 6:-1]
    return {"bol_acc": float((guess == target).mean())}


def main():
    from _twohundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = recordings(640, g), recordings(160, g)
    args = TrainingArguments(str(out / "theka"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Recordings(xtr),
                      eval_dataset=Recordings(xva), compute_metrics=bol_accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "theka").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GraniteMoeShared causal LM continuing tabla thekas (taal token then 40"
                " ornamented bols), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
