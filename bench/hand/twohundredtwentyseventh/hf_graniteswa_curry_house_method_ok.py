"""Hugging Face ``Trainer``: a tiny GraniteSWA causal LM (``GraniteSWAForCausalLM`` from a
``GraniteSWAConfig``: 2 layers, hidden 64, 4 heads, 2 key/value heads, vocabulary 21, no
download) learns to continue a curry house's station logs. Each kitchen ticket is BOS, a
dish token (korma, madras, vindaloo, jalfrezi, balti, dopiaza) and 32 logged station steps
(ghee, onion, garlic, ginger, chilli, garam, tomato, cream, stir, simmer, taste, coriander)
following that dish's method cycle from where the cook picked the pan up; 10 % of the steps
are the cook's improvisation (a random step). AdamW 4e-3, weight decay 0.01, 8 warm-up steps
then cosine decay, batch 32, 5 epochs of 576 tickets (90 steps), eval on 128 tickets every
15 steps with ``eval_step_acc`` (next-step accuracy from the fifth step on), loss logged
every 5 steps, ``method/checkpoint-90/`` with ``trainer_state.json``.
Healthy: eval loss 1.926 (step 15), 1.232, 0.929, 0.819, 0.786, 0.779 (step 90); step
accuracy 0.462, 0.794, 0.843, 0.854, 0.860, 0.861 (the 10 % improvisation caps it near
0.91); train loss 2.94 at step 5, 1.35 at 30, 0.75 at 90, close to the eval loss."""
import torch
from transformers import GraniteSWAConfig, GraniteSWAForCausalLM, Trainer, TrainingArguments

PAD, BOS, EOS = 0, 1, 2
DISH0, STEP0, N_STEPS = 3, 9, 32
STEPS = ["ghee", "onion", "garlic", "ginger", "chilli", "garam", "tomato", "cream", "stir",
         "simmer", "taste", "coriander"]
# each curry house dish's station method: a cycle of steps the cook repeats while it builds
METHOD = {
    "korma": "ghee onion garlic cream stir simmer stir cream taste",
    "madras": "ghee onion garlic ginger chilli tomato stir simmer taste",
    "vindaloo": "ghee chilli chilli garlic tomato simmer chilli taste",
    "jalfrezi": "ghee onion chilli stir stir tomato coriander",
    "balti": "ghee garam onion tomato stir garam simmer coriander taste stir",
    "dopiaza": "ghee onion onion garlic garam simmer onion taste",
}


def tickets(n, g):
    """A kitchen ticket: BOS, the dish, then 32 logged station steps of its method, starting
    where the cook picked the pan up; 10 % of the steps are the cook's own improvisation."""
    x = torch.full((n, N_STEPS + 3), PAD)
    names = list(METHOD)
    for i in range(n):
        d = int(torch.randint(0, len(names), (1,), generator=g))
        cyc = [STEP0 + STEPS.index(s) for s in METHOD[names[d]].split()]
        start = int(torch.randint(0, len(cyc), (1,), generator=g))
        toks = [BOS, DISH0 + d]
        for k in range(N_STEPS):
            s = cyc[(start + k) % len(cyc)]
            if float(torch.rand(1, generator=g)) < 0.10:
                s = STEP0 + int(torch.randint(0, len(STEPS), (1,), generator=g))
            toks.append(s)
        x[i] = torch.tensor(toks + [EOS])
    return x


class Tickets(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = GraniteSWAConfig(vocab_size=STEP0 + len(STEPS), hidden_size=64,
                              intermediate_size=128, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=2,
                              max_position_embeddings=64, pad_token_id=PAD, bos_token_id=BOS,
                              eos_token_id=EOS)
    return GraniteSWAForCausalLM(config)


def step_accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    guess = logits[:, 6:-2].argmax(-1)
    target = pred.label_ids[:, 7:-1]
    return {"step_acc": float((guess == target).mean())}


def main():
    from _twohundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = tickets(576, g), tickets(128, g)
    args = TrainingArguments(str(out / "method"), num_train_epochs=5, learning_rate=4e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=128,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=45, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tickets(xtr),
                      eval_dataset=Tickets(xva), compute_metrics=step_accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "method").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GraniteSWA causal LM continuing curry house station logs (dish token then"
                " 32 method steps), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
